import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Constant-rate (open-model) HTTP load generator for bench/run.sh. Request i is due at
 * t0 + i/rate and its latency is measured from that due time, not from when it was actually sent,
 * so a stalled server cannot hide its queueing delay (no coordinated omission: what wrk2 does,
 * which Debian does not ship). All scenarios run in one JVM, each after a warm-up at its own rate
 * that is not measured, so the generator's own JIT warm-up never shows up as server latency.
 * Runs on Vert.x from the proxy's own classpath:
 *   java -cp 'proxy-service/target/quarkus-app/lib/main/*' bench/LoadGen.java SCENARIO_FILE WARMUP_SECONDS
 * Scenario file: one scenario per line, tab-separated: name url rate seconds body_file [authorization]
 * Prints one line per scenario: name rate= sent= errors= p50_ms= p90_ms= p99_ms= max_ms= ttfb_p50_ms= ttfb_p99_ms= achieved_rps=
 */
public class LoadGen {

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setMaxWaitQueueSize(-1), new PoolOptions().setHttp1MaxSize(512));
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            java.net.URI uri = java.net.URI.create(f[1]);
            int rate = Integer.parseInt(f[2]);
            Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(f[4])));
            String auth = f.length > 5 && !f[5].isEmpty() ? f[5] : null;
            if (warmup > 0) {
                run(vertx, client, uri, rate, warmup, body, auth);
            }
            Result r = run(vertx, client, uri, rate, Integer.parseInt(f[3]), body, auth);
            System.out.printf("%s rate=%d sent=%d errors=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f ttfb_p50_ms=%.3f ttfb_p99_ms=%.3f achieved_rps=%.0f%n",
                    f[0], rate, r.completed, r.errors, pct(r.latency, 50), pct(r.latency, 90), pct(r.latency, 99),
                    r.latency[r.latency.length - 1] / 1e6, pct(r.ttfb, 50), pct(r.ttfb, 99), r.rps);
        }
        client.close();
        vertx.close();
        System.exit(0);
    }

    record Result(long[] latency, long[] ttfb, long completed, long errors, double rps) {
    }

    static Result run(Vertx vertx, HttpClient client, java.net.URI uri, int rate, int seconds, Buffer body, String auth)
            throws InterruptedException {
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;
        long[] latency = new long[total];
        long[] ttfb = new long[total];
        AtomicLong errors = new AtomicLong();
        CountDownLatch done = new CountDownLatch(total);
        long t0 = System.nanoTime() + 50_000_000L;
        int[] next = { 0 };
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            while (next[0] < total && t0 + next[0] * interval <= now) {
                int i = next[0]++;
                long due = t0 + i * interval;
                RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(uri.getPort())
                        .setURI(uri.getRawPath()).putHeader("content-type", "application/json");
                if (auth != null) {
                    o.putHeader("authorization", auth);
                }
                client.request(o).compose(req -> req.send(body)).onComplete(ar -> {
                    if (ar.failed()) {
                        errors.incrementAndGet();
                        latency[i] = System.nanoTime() - due;
                        ttfb[i] = latency[i];
                        done.countDown();
                        return;
                    }
                    var resp = ar.result();
                    if (resp.statusCode() != 200) {
                        errors.incrementAndGet();
                    }
                    boolean[] first = { true };
                    resp.handler(chunk -> {
                        if (first[0]) {
                            ttfb[i] = System.nanoTime() - due;
                            first[0] = false;
                        }
                    });
                    resp.exceptionHandler(e -> errors.incrementAndGet());
                    resp.endHandler(v -> {
                        latency[i] = System.nanoTime() - due;
                        if (first[0]) {
                            ttfb[i] = latency[i];
                        }
                        done.countDown();
                    });
                });
            }
            if (next[0] >= total) {
                vertx.cancelTimer(id);
            }
        });
        done.await(seconds + 60L, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - t0;
        long completed = total - done.getCount();
        Arrays.sort(latency);
        Arrays.sort(ttfb);
        return new Result(latency, ttfb, completed, errors.get() + (total - completed), completed / (elapsed / 1e9));
    }

    private static double pct(long[] sorted, int p) {
        int idx = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, idx)] / 1e6;
    }
}
