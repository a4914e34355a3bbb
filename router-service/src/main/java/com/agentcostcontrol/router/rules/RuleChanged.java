package com.agentcostcontrol.router.rules;

import java.util.UUID;

/**
 * A routing rule was created, changed or deleted; announced after commit on the routing change
 * channel so that every proxy reloads its routing snapshot.
 *
 * @param tenantId the rule's tenant, {@code null} for an operator rule
 * @param id       the rule
 * @param action   created, updated or deleted
 */
public record RuleChanged(UUID tenantId, UUID id, String action) {

    /** The {@code kind} of rule changes on the channel (deployments and routes use their own). */
    public static final String KIND = "rule";
}
