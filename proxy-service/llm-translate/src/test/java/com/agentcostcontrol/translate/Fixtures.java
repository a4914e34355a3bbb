package com.agentcostcontrol.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Table-driven fixtures: every {@code *.json} file under a test-resource directory is one case with
 * an input and the expected output. With {@code -Dacc.fixtures.update=true} a case whose expected
 * value is null is written back to src/test/resources (and the test still fails, so every new
 * golden value is reviewed before it counts).
 */
final class Fixtures {

    static final ObjectMapper M = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Fixtures() {
    }

    static Stream<Arguments> cases(String dir) {
        Path root = dir(dir);
        try (Stream<Path> files = Files.list(root)) {
            List<Path> json = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            if (json.isEmpty()) {
                throw new IllegalStateException("no fixtures in " + dir);
            }
            return json.stream().map(p -> Arguments.of(dir + "/" + p.getFileName(), read(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table file {@code {"cases":[{"name":..., ...}]}}: one argument pair per case. */
    static Stream<Arguments> table(String resource) {
        ObjectNode root = read(dir(resource.substring(0, resource.lastIndexOf('/')))
                .resolve(resource.substring(resource.lastIndexOf('/') + 1)));
        List<Arguments> out = new java.util.ArrayList<>();
        root.get("cases").forEach(c -> out.add(Arguments.of(c.get("name").asText(), c)));
        return out.stream();
    }

    static Path dir(String dir) {
        URL url = Fixtures.class.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException("missing test resource directory " + dir);
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode read(Path p) {
        try {
            return (ObjectNode) M.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String resource) {
        Path p = dir(resource.substring(0, resource.lastIndexOf('/'))).resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Re-serializes so that numbers compare by JSON value (IntNode vs LongNode). */
    static JsonNode normalize(JsonNode node) {
        try {
            return node == null ? null : M.readTree(M.writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compares {@code actual} with {@code fixture.get(field)}; in update mode fills a null expected
     * value into the fixture file.
     */
    static void assertMatches(String name, ObjectNode fixture, String field, JsonNode actual) {
        JsonNode expected = fixture.get(field);
        JsonNode got = normalize(actual);
        if (expected == null || expected.isNull()) {
            if (Boolean.getBoolean("acc.fixtures.update")) {
                fixture.set(field, got);
                write(name, fixture);
                fail(name + ": wrote '" + field + "' into the fixture; review it and run again");
            }
            fail(name + ": fixture has no '" + field + "'; actual was:\n" + pretty(got));
        }
        assertEquals(pretty(expected), pretty(got), name + ": " + field + " differs");
        assertEquals(expected, got, name + ": " + field + " differs");
    }

    private static void write(String name, ObjectNode fixture) {
        Path src = Paths.get(System.getProperty("basedir", "."), "src/test/resources", name);
        try {
            Files.writeString(src, PRETTY.writeValueAsString(fixture) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode usageJson(RawUsage u) {
        ObjectNode n = M.createObjectNode();
        n.put("format", u.format().name());
        n.put("inputTokens", u.inputTokens());
        n.put("cachedTokens", u.cachedTokens());
        n.put("cacheCreation5m", u.cacheCreation5m());
        n.put("cacheCreation1h", u.cacheCreation1h());
        n.put("outputTokens", u.outputTokens());
        n.put("reasoningTokens", u.reasoningTokens());
        return n;
    }
}
