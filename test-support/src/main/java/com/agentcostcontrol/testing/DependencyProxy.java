package com.agentcostcontrol.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link ToggleableTcpProxy} field of a test that runs under {@link DependencyOutageProfile};
 * {@link DependencyOutageEnvironment} injects the proxy standing in front of the named dependency.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface DependencyProxy {

    /** {@link DependencyOutageEnvironment#POSTGRES} or {@link DependencyOutageEnvironment#REDIS}. */
    String value();
}
