package com.agentcostcontrol.proxy.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.agentcostcontrol.platform.error.ApiError;
import com.agentcostcontrol.proxy.security.Refusal;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Authentication and authorisation failures of the management API, in the management error envelope. */
public final class SecurityExceptionMappers {

    private SecurityExceptionMappers() {
    }

    static Response toResponse(Refusal refusal) {
        Response.ResponseBuilder r = Response.fromResponse(
                ApiError.response(refusal.status(), refusal.type(), refusal.message(), null));
        if (refusal.status() == 401) {
            r.header("WWW-Authenticate", "Bearer realm=\"acc\"");
        }
        return r.build();
    }

    @Provider
    public static class AuthenticationFailedMapper implements ExceptionMapper<AuthenticationFailedException> {
        @Override
        public Response toResponse(AuthenticationFailedException e) {
            return SecurityExceptionMappers.toResponse(Refusal.of(e));
        }
    }

    @Provider
    public static class UnauthorizedMapper implements ExceptionMapper<UnauthorizedException> {
        @Override
        public Response toResponse(UnauthorizedException e) {
            return SecurityExceptionMappers.toResponse(Refusal.missing());
        }
    }

    @Provider
    public static class ForbiddenMapper implements ExceptionMapper<ForbiddenException> {
        @Override
        public Response toResponse(ForbiddenException e) {
            return ApiError.response(403, "forbidden", "This identity may not make this call.", null);
        }
    }
}
