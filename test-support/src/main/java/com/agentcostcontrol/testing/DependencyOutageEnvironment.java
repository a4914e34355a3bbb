package com.agentcostcontrol.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Like {@link AccTestEnvironment} (same database and Redis db, created, cleaned and migrated the
 * same way), but the service reaches Postgres and Redis through two {@link ToggleableTcpProxy}s, so a
 * test can cut either dependency off and bring it back while the service keeps running. Timeouts are
 * short so an outage shows within seconds. Used through {@link DependencyOutageProfile}; the proxies
 * are injected into test fields annotated {@link DependencyProxy}.
 * Init args: {@code db}, {@code redisDb} (as for {@link AccTestEnvironment}).
 */
public class DependencyOutageEnvironment implements QuarkusTestResourceLifecycleManager {

    public static final String POSTGRES = "postgres";
    public static final String REDIS = "redis";

    private final AccTestEnvironment delegate = new AccTestEnvironment();
    private ToggleableTcpProxy postgres;
    private ToggleableTcpProxy redis;

    @Override
    public void init(Map<String, String> initArgs) {
        delegate.init(initArgs);
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> direct = delegate.start();
        URI pg = URI.create(direct.get("quarkus.datasource.jdbc.url").substring("jdbc:".length()));
        URI rd = URI.create(direct.get("quarkus.redis.hosts"));
        postgres = ToggleableTcpProxy.start(POSTGRES, pg.getHost(), pg.getPort());
        redis = ToggleableTcpProxy.start(REDIS, rd.getHost(), rd.getPort());

        Map<String, String> config = new HashMap<>(direct);
        // Driver timeouts are in seconds: fail fast instead of waiting for the OS defaults.
        String jdbcUrl = "jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + pg.getPath()
                + "?connectTimeout=2&socketTimeout=5&loginTimeout=2";
        String redisUrl = "redis://" + redis.host() + ":" + redis.port() + rd.getPath();
        config.put("quarkus.datasource.jdbc.url", jdbcUrl);
        config.put("quarkus.redis.hosts", redisUrl);
        config.put("acc.test.jdbc-url", jdbcUrl);
        config.put("acc.test.redis-url", redisUrl);
        config.put("quarkus.datasource.jdbc.acquisition-timeout", "2S");
        config.put("quarkus.datasource.jdbc.validation-query-timeout", "2S");
        config.put("quarkus.datasource.jdbc.background-validation-interval", "1S");
        config.put("quarkus.redis.timeout", "2S");
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(postgres, f -> matches(f, POSTGRES));
        testInjector.injectIntoFields(redis, f -> matches(f, REDIS));
    }

    private static boolean matches(java.lang.reflect.Field field, String dependency) {
        DependencyProxy marker = field.getAnnotation(DependencyProxy.class);
        return marker != null && marker.value().equals(dependency)
                && field.getType().isAssignableFrom(ToggleableTcpProxy.class);
    }

    @Override
    public void stop() {
        if (postgres != null) {
            postgres.close();
        }
        if (redis != null) {
            redis.close();
        }
        delegate.stop();
    }
}
