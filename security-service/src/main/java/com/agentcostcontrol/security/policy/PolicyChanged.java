package com.agentcostcontrol.security.policy;

import java.util.UUID;

/** A tenant's policy was set or reset; published after commit on {@link PolicyService#CHANNEL}. */
public record PolicyChanged(UUID tenantId, String action) {
}
