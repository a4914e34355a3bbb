package com.agentcostcontrol.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What the code says the suite is: the service modules of the root pom (a module is a service
 * when its application.properties sets {@code quarkus.http.port=${PORT:NNNN}}) and their ports.
 * The deploy files are checked against this, never against a list written in the test.
 */
record SuiteLayout(Path root, Map<String, Integer> services) {

    static final String PROXY = "proxy-service";

    private static final Pattern PORT = Pattern.compile("(?m)^quarkus\\.http\\.port=\\$\\{PORT:(\\d+)}\\s*$");

    static SuiteLayout fromCode() {
        return fromCode(repoRoot());
    }

    static SuiteLayout fromCode(Path root) {
        Map<String, Integer> services = new LinkedHashMap<>();
        for (String module : modules(root.resolve("pom.xml"))) {
            Path props = root.resolve(module).resolve("src/main/resources/application.properties");
            if (Files.isRegularFile(props)) {
                Matcher m = PORT.matcher(read(props));
                if (m.find()) {
                    services.put(module, Integer.parseInt(m.group(1)));
                }
            }
        }
        return new SuiteLayout(root, services);
    }

    /** A copy with one service added or its port changed: how the tests simulate a change in the code. */
    SuiteLayout withService(String module, int port) {
        Map<String, Integer> copy = new LinkedHashMap<>(services);
        copy.put(module, port);
        return new SuiteLayout(root, copy);
    }

    /** The {@code <SVC>} of {@code ACC_<SVC>_URL}: proxy-service is PROXY, gateway-adapter is GATEWAY. */
    static String key(String service) {
        return process(service).toUpperCase(Locale.ROOT);
    }

    /** The Fly process group of a service: its folder name without "-service" / "-adapter". */
    static String process(String service) {
        return service.replaceFirst("-(service|adapter)$", "");
    }

    String read(String relative) {
        return read(root.resolve(relative));
    }

    boolean exists(String relative) {
        return Files.isRegularFile(root.resolve(relative));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repoRoot() {
        String configured = System.getProperty("acc.repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("deploy-check"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found above " + start);
    }

    private static List<String> modules(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(pom.toFile());
            NodeList nodes = doc.getElementsByTagName("module");
            List<String> modules = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                modules.add(nodes.item(i).getTextContent().trim());
            }
            return modules;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the module list of " + pom + ": " + e.getMessage(), e);
        }
    }
}
