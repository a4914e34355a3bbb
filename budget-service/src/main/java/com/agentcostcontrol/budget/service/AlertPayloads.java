package com.agentcostcontrol.budget.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.agentcostcontrol.budget.Budget;
import com.agentcostcontrol.budget.BudgetStatus;
import com.agentcostcontrol.budget.core.BudgetDefinition;
import com.agentcostcontrol.budget.core.Money;
import com.agentcostcontrol.budget.core.PeriodWindow;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON bodies of alert webhooks (snake_case, money as decimal strings with 6 decimals):
 *
 * <pre>
 * {"id": "...", "type": "budget.threshold_reached", "occurred_at": "...", "tenant_id": "...", "budget_id": "...",
 *  "scope": {"type": "key", "id": "..."}, "period": "monthly", "mode": "hard",
 *  "period_start": "...", "period_end": "..." | null, "threshold": 80, "spent_usd": "8.000000", "limit_usd": "10.000000"}
 * </pre>
 *
 * {@code budget.exhaustion_forecast} has no {@code threshold} but {@code projected_usd} and {@code exhaustion_at}.
 * Event ids are name-based UUIDs of (type, budget, period, threshold): the same alert always has the same id.
 */
@ApplicationScoped
public class AlertPayloads {

    public static final String THRESHOLD_REACHED = "budget.threshold_reached";
    public static final String EXHAUSTION_FORECAST = "budget.exhaustion_forecast";

    private final ObjectMapper json;

    public AlertPayloads(ObjectMapper json) {
        this.json = json;
    }

    public static UUID thresholdEventId(Budget budget, PeriodWindow window, int threshold) {
        return name(THRESHOLD_REACHED + ":" + budget.id() + ":" + window.token() + ":" + threshold);
    }

    public static UUID forecastEventId(Budget budget, PeriodWindow window) {
        return name(EXHAUSTION_FORECAST + ":" + budget.id() + ":" + window.token());
    }

    public String threshold(UUID eventId, ThresholdReached e) {
        Map<String, Object> body = common(eventId, THRESHOLD_REACHED, e.firedAt(), e.budget(), e.window());
        body.put("threshold", e.threshold());
        body.put("spent_usd", Money.formatUsd(e.spentMicros()));
        body.put("limit_usd", Money.formatUsd(e.budget().definition().limitMicros()));
        return write(body);
    }

    public String forecast(UUID eventId, ForecastReached e) {
        BudgetStatus s = e.status();
        Map<String, Object> body = common(eventId, EXHAUSTION_FORECAST, e.firedAt(), e.budget(), e.window());
        body.put("spent_usd", Money.formatUsd(s.spentMicros()));
        body.put("limit_usd", Money.formatUsd(s.limitMicros()));
        body.put("projected_usd", Money.formatUsd(s.projectedMicros()));
        body.put("exhaustion_at", s.exhaustionAt() == null ? null : s.exhaustionAt().toString());
        return write(body);
    }

    private static Map<String, Object> common(UUID eventId, String type, Instant occurredAt, Budget budget, PeriodWindow w) {
        BudgetDefinition d = budget.definition();
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("type", d.scope().type().wire());
        if (d.scope().id() != null) {
            scope.put("id", d.scope().id());
        }
        if (d.scope().model() != null) {
            scope.put("model", d.scope().model());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", eventId.toString());
        body.put("type", type);
        body.put("occurred_at", occurredAt.toString());
        body.put("tenant_id", d.tenantId());
        body.put("budget_id", d.id());
        body.put("scope", scope);
        body.put("period", d.period().wire());
        body.put("mode", d.mode().wire());
        // As the status endpoint: a total budget's period starts when the budget was created and never ends.
        body.put("period_start", (w.unbounded() ? d.createdAt() : w.start()).toString());
        body.put("period_end", w.end() == null ? null : w.end().toString());
        return body;
    }

    private String write(Map<String, Object> body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode webhook event", e);
        }
    }

    private static UUID name(String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
