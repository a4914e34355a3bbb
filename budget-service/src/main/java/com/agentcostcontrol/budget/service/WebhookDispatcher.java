package com.agentcostcontrol.budget.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

import com.agentcostcontrol.budget.Webhook;
import com.agentcostcontrol.budget.config.BudgetConfig;
import com.agentcostcontrol.budget.repository.DeliveryRepository;
import com.agentcostcontrol.budget.repository.WebhookRepository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends the webhook outbox: claims due deliveries, POSTs each signed body to the tenant's current URL,
 * records the attempt, and schedules a retry with exponential backoff (with jitter) until
 * {@code max-attempts}. Any 2xx is success; anything else, or no answer within the timeout, is a failed
 * attempt. Redirects are not followed. Counts {@code acc_budget_webhook_deliveries_total{outcome}}.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR = 500;
    /** Batches per poll at most, so one poll cannot run forever under a flood. */
    private static final int MAX_ROUNDS = 50;

    private final DeliveryRepository deliveries;
    private final WebhookRepository webhooks;
    private final WebhookSecrets secrets;
    private final BudgetConfig.Webhook config;
    private final MeterRegistry metrics;
    private final HttpClient http;
    private final ManagedExecutor executor;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();

    public WebhookDispatcher(DeliveryRepository deliveries, WebhookRepository webhooks, WebhookSecrets secrets,
            BudgetConfig config, MeterRegistry metrics, ManagedExecutor executor) {
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        this.secrets = secrets;
        this.config = config.webhook();
        this.metrics = metrics;
        this.executor = executor;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout()).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Sends what is due now, on a worker thread, without waiting for the next poll (called after an alert
     * commits). Concurrent rounds are safe: each claims different rows.
     */
    public void wake() {
        if (wakeQueued.compareAndSet(false, true)) {
            executor.execute(() -> {
                wakeQueued.set(false);
                poll();
            });
        }
    }

    @Scheduled(every = "${acc.budget.webhook.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            LOG.warnf("webhook delivery round failed (%s); retrying at the next poll", e.getMessage());
        }
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        try {
            int removed = deliveries.purgeFinished(Instant.now().minus(config.retention()));
            if (removed > 0) {
                LOG.infof("removed %d finished webhook deliveries older than %s", removed, config.retention());
            }
        } catch (RuntimeException e) {
            LOG.warnf("webhook delivery purge failed: %s", e.getMessage());
        }
    }

    /** Makes one attempt of every due delivery; answers how many attempts were made. */
    public int deliverDue() {
        Duration lease = config.timeout().multipliedBy(2).plusSeconds(30);
        int made = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<DeliveryRepository.Claimed> batch = deliveries.claimDue(config.batchSize(), lease);
            if (batch.isEmpty()) {
                break;
            }
            List<CompletableFuture<Result>> sends = new ArrayList<>(batch.size());
            for (DeliveryRepository.Claimed d : batch) {
                sends.add(send(d));
            }
            // Sent in parallel; recorded here, one by one, on this worker thread.
            for (int i = 0; i < batch.size(); i++) {
                record(batch.get(i), sends.get(i).join());
            }
            made += batch.size();
        }
        return made;
    }

    private record Result(Instant startedAt, int durationMs, Integer statusCode, String error, boolean permanent) {
        boolean ok() {
            return error == null;
        }
    }

    private CompletableFuture<Result> send(DeliveryRepository.Claimed d) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Optional<Webhook> hook = webhooks.find(d.tenantId());
        if (hook.isEmpty()) {
            return CompletableFuture.completedFuture(new Result(started, 0, null, "the tenant has no webhook any more", true));
        }
        HttpRequest request;
        try {
            URI uri = WebhookUrls.check(hook.get().url(), config.allowPrivateNetworks());
            String secret = secrets.open(hook.get().tenantId(), hook.get().secretCiphertext());
            request = HttpRequest.newBuilder(uri).timeout(config.timeout())
                    .header("content-type", "application/json")
                    .header("user-agent", "ACC-Webhooks/1")
                    .header("x-acc-event-id", d.eventId().toString())
                    .header("x-acc-event-type", d.eventType())
                    .header("x-acc-delivery-attempt", Integer.toString(d.attempt()))
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(secret, started.getEpochSecond(), d.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload(), StandardCharsets.UTF_8))
                    .build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return CompletableFuture.completedFuture(new Result(started, 0, null, clip(e.getMessage()), false));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            int ms = (int) Math.min(Integer.MAX_VALUE, Duration.ofNanos(System.nanoTime() - t0).toMillis());
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                String why = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
                return new Result(started, ms, null, clip(why), false);
            }
            int status = response.statusCode();
            return new Result(started, ms, status, status / 100 == 2 ? null : "HTTP " + status, false);
        });
    }

    private void record(DeliveryRepository.Claimed d, Result r) {
        String outcome;
        Instant next = null;
        if (r.ok()) {
            outcome = "delivered";
        } else if (r.permanent() || d.attempt() >= config.maxAttempts()) {
            outcome = "failed";
            LOG.warnf("webhook event %s of tenant %s given up after %d attempts: %s", d.eventId(), d.tenantId(), d.attempt(),
                    r.error());
        } else {
            outcome = "retry";
            next = Instant.now().plus(backoff(d.attempt()));
        }
        deliveries.recordAttempt(d.id(), d.attempt(), r.startedAt(), r.durationMs(), r.statusCode(), r.error(), outcome, next);
        Counter.builder("acc.budget.webhook.deliveries")
                .description("Budget alert webhook delivery attempts by outcome (delivered, retry, failed)")
                .tag("outcome", outcome).register(metrics).increment();
    }

    /** Wait after failed attempt {@code n}: initial x 2^(n-1), at most max, plus up to 20 % jitter. */
    Duration backoff(int attempt) {
        long initial = config.initialBackoff().toMillis();
        long max = config.maxBackoff().toMillis();
        long base = initial;
        for (int i = 1; i < attempt && base < max; i++) {
            base *= 2;
        }
        base = Math.min(base, max);
        return Duration.ofMillis(base + (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble()));
    }

    private static String clip(String text) {
        if (text == null) {
            return "unknown error";
        }
        return text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
    }
}
