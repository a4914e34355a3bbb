package com.agentcostcontrol.platform.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Makes one {@link IdentityCodec} from {@code acc.internal.secret} (env {@code ACC_INTERNAL_SECRET}). */
@ApplicationScoped
public class IdentityCodecProducer {

    @Produces
    @Singleton
    IdentityCodec identityCodec(@ConfigProperty(name = "acc.internal.secret") String secret) {
        return new IdentityCodec(secret);
    }
}
