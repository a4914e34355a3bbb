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
 * which Debian does not ship). Runs on Vert.x from the proxy's own classpath:
 *   java -cp 'proxy-service/target/quarkus-app/lib/main/*' bench/LoadGen.java URL RATE SECONDS BODY_FILE [AUTH] [MAXCONN]
 * Prints one line: rate= sent= errors= p50_ms= p90_ms= p99_ms= max_ms= ttfb_p50_ms= ttfb_p99_ms= achieved_rps=
 */
public class LoadGen {

    public static void main(String[] args) throws Exception {
        java.net.URI uri = java.net.URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[3])));
        String auth = args.length > 4 && !args[4].isEmpty() ? args[4] : null;
        int maxConn = args.length > 5 ? Integer.parseInt(args[5]) : 512;
        int total = rate * seconds;
        long interval = 1_000_000_000L / rate;

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setMaxWaitQueueSize(-1), new PoolOptions().setHttp1MaxSize(maxConn));
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
        boolean finished = done.await(seconds + 60L, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - t0;
        long completed = total - done.getCount();
        Arrays.sort(latency);
        Arrays.sort(ttfb);
        System.out.printf("rate=%d sent=%d errors=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f ttfb_p50_ms=%.3f ttfb_p99_ms=%.3f achieved_rps=%.0f%s%n",
                rate, completed, errors.get() + (total - completed), pct(latency, 50), pct(latency, 90), pct(latency, 99),
                latency[total - 1] / 1e6, pct(ttfb, 50), pct(ttfb, 99), completed / (elapsed / 1e9), finished ? "" : " (timed out)");
        client.close();
        vertx.close();
        System.exit(0);
    }

    private static double pct(long[] sorted, int p) {
        int idx = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, idx)] / 1e6;
    }
}
