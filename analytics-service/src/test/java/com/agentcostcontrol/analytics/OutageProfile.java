package com.agentcostcontrol.analytics;

import com.agentcostcontrol.testing.DependencyOutageProfile;

/**
 * The service reaches Postgres and Redis through toggleable proxies; shared by every outage test of the module so
 * they run in one application start.
 */
public class OutageProfile extends DependencyOutageProfile {
    public OutageProfile() {
        super("acc_test_analytics", 5);
    }
}
