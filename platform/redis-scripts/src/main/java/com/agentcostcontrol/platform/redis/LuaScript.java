package com.agentcostcontrol.platform.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A Lua script kept as a classpath resource {@code lua/<name>.lua} next to an anchor class, with a
 * prelude of shared helpers ({@code lua/<prelude>.lua}) prepended. Runs by SHA1 and falls back to
 * sending the source once when the server does not have it cached (fresh server,
 * {@code SCRIPT FLUSH}, failover).
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    /**
     * Loads {@code lua/<name>.lua} with {@code lua/<prelude>.lua} prepended, both resolved relative to
     * {@code anchor}'s package (so each engine keeps its scripts beside its code).
     */
    public static LuaScript load(Class<?> anchor, String prelude, String name) {
        return new LuaScript(name, resource(anchor, prelude) + "\n" + resource(anchor, name));
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    public String sha1() {
        return sha1;
    }

    /** Runs the script; the reply must be an array, returned as strings. */
    public CompletionStage<List<String>> run(RedisScriptExecutor redis, List<String> keys, List<String> args) {
        return redis.evalSha(sha1, keys, args)
                .handle((reply, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedStage(reply);
                    }
                    if (isNoScript(error)) {
                        return redis.eval(source, keys, args);
                    }
                    return CompletableFuture.<Object>failedStage(unwrap(error));
                })
                .thenCompose(Function.identity())
                .thenApply(this::strings);
    }

    private List<String> strings(Object reply) {
        if (!(reply instanceof List<?> list)) {
            throw new IllegalStateException("script " + name + " answered " + reply + ", expected an array");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            out.add(o == null ? null : o.toString());
        }
        return out;
    }

    static boolean isNoScript(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String resource(Class<?> anchor, String name) {
        String path = "lua/" + name + ".lua";
        try (InputStream in = anchor.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing Lua script resource " + path + " beside " + anchor.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Lua script " + path, e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }
}
