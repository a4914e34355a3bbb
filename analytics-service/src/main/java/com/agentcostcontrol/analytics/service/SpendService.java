package com.agentcostcontrol.analytics.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.analytics.SpendGroup;
import com.agentcostcontrol.analytics.SpendRow;
import com.agentcostcontrol.analytics.config.AnalyticsConfig;
import com.agentcostcontrol.analytics.repository.UsageLedgerRepository;
import com.agentcostcontrol.analytics.retention.RetentionPolicy;
import com.agentcostcontrol.platform.error.ApiException;

/**
 * Spend of one tenant over a time range, grouped ({@code GET /v1/analytics/spend}, {@code docs/ANALYTICS.md}).
 * The range is {@code [from, to)} on the calls' arrival time: {@code from} inclusive, {@code to} exclusive; a date
 * (no time) given as {@code to} covers that whole UTC day. Defaults: {@code to} = now, {@code from} = the start of
 * the UTC month {@code to} falls in.
 */
@ApplicationScoped
public class SpendService {

    /** A spend query, resolved: what the answer covers. */
    public record Spend(SpendGroup groupBy, Instant from, Instant to, List<SpendRow> rows) {
    }

    private static final Logger LOG = Logger.getLogger(SpendService.class);

    private final UsageLedgerRepository ledger;
    private final Duration maxRange;
    private final RetentionPolicy retention;
    private final Clock clock = Clock.systemUTC();

    public SpendService(UsageLedgerRepository ledger, AnalyticsConfig config, RetentionPolicy retention) {
        this.ledger = ledger;
        this.maxRange = config.spend().maxRange();
        this.retention = retention;
    }

    public Spend spend(UUID tenantId, String groupByParam, String fromParam, String toParam) {
        SpendGroup groupBy = groupBy(groupByParam);
        Instant to = QueryParams.isBlank(toParam) ? clock.instant() : QueryParams.instant("to", toParam, true);
        Instant from = QueryParams.isBlank(fromParam) ? startOfMonth(to) : QueryParams.instant("from", fromParam, false);
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from", "from (" + from + ") must be before to (" + to + ")"
                    + (QueryParams.isBlank(toParam) ? "; to defaults to now" : ""));
        }
        if (Duration.between(from, to).compareTo(maxRange) > 0) {
            throw ApiException.badRequest("to", "from..to covers more than the longest range of one query ("
                    + maxRange.toDays() + " days): split it into several queries");
        }
        requireWholeDaysBeforeRawHorizon(from, to);
        try {
            return new Spend(groupBy, from, to, ledger.spend(tenantId, groupBy, from, to));
        } catch (IllegalStateException e) {
            LOG.warnf("spend query failed: %s", e.toString());
            throw new ApiException(503, "unavailable", "the usage ledger (Postgres) is unavailable; retry shortly",
                    null);
        }
    }

    /**
     * Whole UTC days are answered from the daily rollup, the partial days at a range's edges from the raw calls. Raw
     * calls before the retention horizon are gone (only their daily sums remain), so an edge that cuts a day before
     * the horizon could only be answered wrong: refuse it.
     */
    private void requireWholeDaysBeforeRawHorizon(Instant from, Instant to) {
        retention.callsHorizon().ifPresent(horizon -> {
            requireMidnightBefore(horizon, "from", from);
            requireMidnightBefore(horizon, "to", to);
        });
    }

    private void requireMidnightBefore(Instant horizon, String param, Instant at) {
        if (at.isBefore(horizon) && !isMidnight(at)) {
            throw ApiException.badRequest(param, "calls before " + horizon + " are kept only as daily sums "
                    + "(acc.analytics.retention.calls = " + retention.callsDays() + " days): give " + param
                    + " as a date or a UTC midnight for that period (got " + at + ")");
        }
    }

    private static boolean isMidnight(Instant at) {
        return at.atOffset(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT);
    }

    private static SpendGroup groupBy(String param) {
        if (QueryParams.isBlank(param)) {
            return SpendGroup.MODEL;
        }
        return SpendGroup.of(param.trim()).orElseThrow(() -> ApiException.badRequest("groupBy",
                "groupBy must be one of: " + SpendGroup.allowed() + " (got \"" + QueryParams.clip(param) + "\")"));
    }

    /** The start of the UTC month of the last instant before {@code to}. */
    private static Instant startOfMonth(Instant to) {
        YearMonth month = YearMonth.from(to.minusNanos(1).atOffset(ZoneOffset.UTC));
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
