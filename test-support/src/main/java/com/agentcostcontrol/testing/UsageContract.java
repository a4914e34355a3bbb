package com.agentcostcontrol.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The consumer-driven contract of the {@code acc:usage} stream (docs/USAGE-EVENTS.md, "Changing the event"): golden
 * events under {@code contracts/usage-events/*.json} at the repository root, each the exact field map the proxy
 * appends for one kind of call. proxy-service checks what it really writes against them ({@link #mismatch}); the
 * consumers feed them, made concrete ({@link #instantiate}), through their real parsers and tables.
 * <p>
 * A golden value is literal text, except for these placeholders, which stand for values that differ on every run:
 * <ul>
 *   <li>{@code <request_id>}: {@code req_} + 24 base-36 characters;</li>
 *   <li>{@code <epoch_ms>}: epoch milliseconds (13 digits);</li>
 *   <li>{@code <uuid>}: a UUID (tenant, key, row deployment and budget ids; lists are written {@code <uuid>,<uuid>});</li>
 *   <li>{@code <millis>}: a duration in milliseconds, {@code >= 0} (latency, time to first token).</li>
 * </ul>
 * Everything else (field names, tokens, costs, statuses, booleans, {@code builtin:<provider>:<model>} ids) must match
 * exactly.
 */
public final class UsageContract {

    /** Where the golden files live, relative to the repository root. */
    public static final String DIR = "contracts/usage-events";
    /** {@code -Dacc.usage-contract.update=true}: the producer test rewrites the golden files from what it produced. */
    public static final String UPDATE_PROPERTY = "acc.usage-contract.update";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern PLACEHOLDER = Pattern.compile("<(request_id|epoch_ms|uuid|millis)>");
    private static final Pattern UUID_TEXT = Pattern
            .compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    private UsageContract() {
    }

    /** The golden directory, found by walking up from the module the tests run in. */
    public static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve(DIR);
            if (Files.isDirectory(d)) {
                return d;
            }
        }
        throw new IllegalStateException("no " + DIR + " directory above " + Path.of("").toAbsolutePath()
                + ": run the tests from inside the repository");
    }

    /** Every golden event by case name (file name without {@code .json}), in name order. */
    public static Map<String, Map<String, String>> all() {
        Map<String, Map<String, String>> cases = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String name = f.getFileName().toString();
                cases.put(name.substring(0, name.length() - 5), read(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException("no golden usage events in " + dir());
        }
        return cases;
    }

    /** One golden event; fails naming the file when it is missing. */
    public static Map<String, String> golden(String name) {
        Path f = file(name);
        if (!Files.exists(f)) {
            throw new AssertionError("golden usage event " + f + " is missing: create it (run the producer test with -D"
                    + UPDATE_PROPERTY + "=true) and check it in");
        }
        return read(f);
    }

    public static Path file(String name) {
        return dir().resolve(name + ".json");
    }

    private static Map<String, String> read(Path f) {
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (!n.isObject()) {
                throw new IllegalStateException(f + ": a golden event is one JSON object of string fields");
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isTextual()) {
                    throw new IllegalStateException(f + ": field " + e.getKey()
                            + " must be a JSON string (Redis stream values are strings)");
                }
                m.put(e.getKey(), e.getValue().asText());
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(f + " is not valid JSON", e);
        }
    }

    /**
     * What differs between a produced event and its golden file, or null when it matches: missing and unexpected
     * fields, and values that do not match the golden value (literal, or placeholders).
     */
    public static String mismatch(String name, Map<String, String> produced) {
        Map<String, String> golden = golden(name);
        List<String> problems = new ArrayList<>();
        TreeSet<String> extra = new TreeSet<>(produced.keySet());
        extra.removeAll(golden.keySet());
        TreeSet<String> missing = new TreeSet<>(golden.keySet());
        missing.removeAll(produced.keySet());
        if (!extra.isEmpty()) {
            problems.add("fields the proxy writes that the contract does not know: " + extra);
        }
        if (!missing.isEmpty()) {
            problems.add("fields the contract expects that the proxy no longer writes: " + missing);
        }
        for (Map.Entry<String, String> g : golden.entrySet()) {
            String actual = produced.get(g.getKey());
            if (actual != null && !matches(g.getValue(), actual)) {
                problems.add(g.getKey() + ": golden \"" + g.getValue() + "\" but produced \"" + actual + "\"");
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        return "usage event " + name + " drifted from its golden file " + file(name) + ":\n  - "
                + String.join("\n  - ", problems)
                + "\nIf the change is intended: update that file (all files in " + DIR + " for a new or removed field;"
                + " -D" + UPDATE_PROPERTY + "=true rewrites them from the proxy), then make budget-service's and"
                + " analytics-service's UsageContractTest pass. See docs/USAGE-EVENTS.md, \"Changing the event\".";
    }

    /** Whether a produced value matches a golden value (placeholders stand for their pattern). */
    public static boolean matches(String golden, String actual) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(golden);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(golden.substring(last, m.start())));
            regex.append(switch (m.group(1)) {
                case "request_id" -> "req_[0-9a-z]{24}";
                case "epoch_ms" -> "[0-9]{13}";
                case "uuid" -> UUID_TEXT.pattern();
                default -> "[0-9]+";
            });
            last = m.end();
        }
        regex.append(Pattern.quote(golden.substring(last)));
        return Pattern.matches(regex.toString(), actual);
    }

    /** The documented normalisation: the produced event with its per-run values replaced by placeholders. */
    public static Map<String, String> normalise(Map<String, String> produced) {
        Map<String, String> n = new LinkedHashMap<>();
        produced.forEach((k, v) -> {
            String value = switch (k) {
                case "request_id" -> v.matches("req_[0-9a-z]{24}") ? "<request_id>" : v;
                case "ts" -> v.matches("[0-9]{13}") ? "<epoch_ms>" : v;
                case "latency_ms", "ttft_ms" -> v.matches("[0-9]+") ? "<millis>" : v;
                default -> UUID_TEXT.matcher(v).replaceAll("<uuid>");
            };
            n.put(k, value);
        });
        return n;
    }

    /** Rewrites a golden file from a produced event (update mode only). */
    public static void write(String name, Map<String, String> produced) {
        ObjectNode o = JSON.createObjectNode();
        normalise(produced).forEach(o::put);
        try {
            Files.writeString(file(name), JSON.writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean updating() {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /**
     * A golden event made concrete for a consumer test: a fresh request id, {@code ts} = {@code atMs}, a fresh UUID for
     * each {@code <uuid>}, 412 for each {@code <millis>}; then {@code overrides} (e.g. a tenant the test created).
     */
    public static Map<String, String> instantiate(Map<String, String> golden, long atMs, Map<String, String> overrides) {
        Map<String, String> e = new LinkedHashMap<>();
        golden.forEach((k, v) -> {
            StringBuilder out = new StringBuilder();
            Matcher m = PLACEHOLDER.matcher(v);
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(switch (m.group(1)) {
                    case "request_id" -> requestId();
                    case "epoch_ms" -> Long.toString(atMs);
                    case "uuid" -> UUID.randomUUID().toString();
                    default -> "412";
                }));
            }
            m.appendTail(out);
            e.put(k, out.toString());
        });
        overrides.forEach((k, v) -> {
            if (!e.containsKey(k)) {
                throw new IllegalArgumentException("override of " + k + ": no such field in the golden event");
            }
            e.put(k, v);
        });
        return e;
    }

    /** A request id in the proxy's format. */
    public static String requestId() {
        StringBuilder s = new StringBuilder("req_");
        for (int i = 0; i < 24; i++) {
            s.append(BASE36.charAt(ThreadLocalRandom.current().nextInt(36)));
        }
        return s.toString();
    }
}
