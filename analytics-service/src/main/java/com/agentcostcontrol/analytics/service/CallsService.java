package com.agentcostcontrol.analytics.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.agentcostcontrol.analytics.UsageCall;
import com.agentcostcontrol.analytics.repository.UsageLedgerRepository;
import com.agentcostcontrol.analytics.repository.UsageLedgerRepository.CallFilter;
import com.agentcostcontrol.platform.error.ApiException;

/**
 * A tenant's recent calls, newest first, a page at a time ({@code GET /v1/analytics/calls}). Pages are cut by an
 * opaque keyset cursor (the last call's arrival time and request id), so calls stored meanwhile never shift a page.
 */
@ApplicationScoped
public class CallsService {

    /** One page; {@code nextCursor} is null on the last one. */
    public record Page(List<UsageCall> calls, String nextCursor) {
    }

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    private static final Set<String> STATUSES = Set.of("ok", "refused", "upstream_error", "stream_error",
            "client_disconnected", "error");
    private static final Logger LOG = Logger.getLogger(CallsService.class);

    private final UsageLedgerRepository ledger;

    public CallsService(UsageLedgerRepository ledger) {
        this.ledger = ledger;
    }

    public Page calls(UUID tenantId, String limitParam, String cursor, String fromParam, String toParam,
            String keyIdParam, String agentId, String model, String status) {
        int limit = limit(limitParam);
        Instant from = QueryParams.isBlank(fromParam) ? null : QueryParams.instant("from", fromParam, false);
        Instant to = QueryParams.isBlank(toParam) ? null : QueryParams.instant("to", toParam, true);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("from", "from (" + from + ") must be before to (" + to + ")");
        }
        UUID keyId = null;
        if (!QueryParams.isBlank(keyIdParam)) {
            try {
                keyId = UUID.fromString(keyIdParam.strip());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("keyId", "keyId must be a key id (a UUID)");
            }
        }
        if (!QueryParams.isBlank(status) && !STATUSES.contains(status)) {
            throw ApiException.badRequest("status", "status must be one of: ok, refused, upstream_error, "
                    + "stream_error, client_disconnected, error (got \"" + QueryParams.clip(status) + "\")");
        }
        String[] before = QueryParams.isBlank(cursor) ? null : decode(cursor);
        CallFilter filter = new CallFilter(from, to, keyId, blankToNull(agentId), blankToNull(model),
                blankToNull(status), before == null ? null : Instant.parse(before[0]), before == null ? null
                        : before[1]);
        List<UsageCall> calls;
        try {
            calls = ledger.calls(tenantId, filter, limit + 1);
        } catch (IllegalStateException e) {
            LOG.warnf("calls query failed: %s", e.toString());
            throw new ApiException(503, "unavailable", "the usage ledger (Postgres) is unavailable; retry shortly",
                    null);
        }
        if (calls.size() <= limit) {
            return new Page(calls, null);
        }
        List<UsageCall> page = calls.subList(0, limit);
        UsageCall last = page.get(limit - 1);
        return new Page(page, encode(last.occurredAt(), last.requestId()));
    }

    private static int limit(String param) {
        if (QueryParams.isBlank(param)) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(param.strip());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw ApiException.badRequest("limit", "limit must be a whole number from 1 to " + MAX_LIMIT + " (got \""
                + QueryParams.clip(param) + "\")");
    }

    private static String encode(Instant at, String requestId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((at + "|" + requestId).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8)
                    .split("\\|", 2);
            Instant.parse(parts[0]);
            if (parts.length == 2 && !parts[1].isEmpty()) {
                return parts;
            }
        } catch (RuntimeException e) {
            // falls through to the error below
        }
        throw ApiException.badRequest("cursor", "cursor must be a nextCursor value from a previous page, unchanged");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
