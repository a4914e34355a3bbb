package com.agentcostcontrol.proxy.service;

import java.util.List;
import java.util.Map;

/**
 * The rate limits stored for a tenant or a key (V9 and V1 columns); each {@code null} means no limit at
 * that level. The JSON field names are the same on every call that reads or writes them.
 *
 * @param rpmLimit      requests per minute
 * @param tpmLimit      tokens per minute (the estimate is reserved up front and settled to the actual count)
 * @param maxConcurrent calls in flight at once
 */
public record RateLimitSettings(Integer rpmLimit, Integer tpmLimit, Integer maxConcurrent) {

    public static final String RPM = "rpmLimit";
    public static final String TPM = "tpmLimit";
    public static final String CONCURRENT = "maxConcurrent";
    public static final List<String> FIELDS = List.of(RPM, TPM, CONCURRENT);
    public static final RateLimitSettings NONE = new RateLimitSettings(null, null, null);

    /** These settings with the fields named in {@code patch} replaced; a null value removes that limit. */
    public RateLimitSettings with(Map<String, Integer> patch) {
        return new RateLimitSettings(patch.containsKey(RPM) ? patch.get(RPM) : rpmLimit,
                patch.containsKey(TPM) ? patch.get(TPM) : tpmLimit,
                patch.containsKey(CONCURRENT) ? patch.get(CONCURRENT) : maxConcurrent);
    }
}
