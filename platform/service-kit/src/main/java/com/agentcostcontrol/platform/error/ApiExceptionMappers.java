package com.agentcostcontrol.platform.error;

import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import com.agentcostcontrol.platform.identity.AccessDeniedException;
import com.agentcostcontrol.platform.identity.InvalidIdentityException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Maps every failure of a management API to {@link ApiError}'s envelope. */
public final class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    private ApiExceptionMappers() {
    }

    @Provider
    public static class ApiExceptionMapper implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return ApiError.response(e.status(), e.type(), e.getMessage(), e.field());
        }
    }

    /** Bean Validation failures: 400 naming the first offending field (the last path node). */
    @Provider
    public static class ValidationMapper implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            ConstraintViolation<?> first = e.getConstraintViolations().stream()
                    .sorted((a, b) -> a.getPropertyPath().toString().compareTo(b.getPropertyPath().toString()))
                    .findFirst().orElse(null);
            if (first == null) {
                return ApiError.badRequest(null, "invalid request");
            }
            String field = lastNode(first.getPropertyPath().toString());
            String all = e.getConstraintViolations().stream()
                    .map(v -> lastNode(v.getPropertyPath().toString()) + " " + v.getMessage())
                    .sorted().collect(Collectors.joining("; "));
            return ApiError.badRequest(field, all);
        }

        private static String lastNode(String path) {
            int dot = path.lastIndexOf('.');
            return dot < 0 ? path : path.substring(dot + 1);
        }
    }

    /** Malformed JSON or a value of the wrong type: 400 naming the field when Jackson knows it. */
    @Provider
    public static class JsonMapper implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                String field = m.getPath().stream()
                        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
                return ApiError.badRequest(field, "field '" + field + "' has a value of the wrong type or format");
            }
            return ApiError.badRequest(null, "the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * A value of the wrong type ({@code "weight": "heavy"}): quarkus-rest-jackson has its own, more
     * specific mapper for this subtype that answers outside our envelope; this one wins over it.
     */
    @Provider
    public static class MismatchedInputMapper implements ExceptionMapper<MismatchedInputException> {
        private final JsonMapper delegate = new JsonMapper();

        @Override
        public Response toResponse(MismatchedInputException e) {
            return delegate.toResponse(e);
        }
    }

    @Provider
    public static class AccessDeniedMapper implements ExceptionMapper<AccessDeniedException> {
        @Override
        public Response toResponse(AccessDeniedException e) {
            return ApiError.response(403, "forbidden", e.getMessage(), null);
        }
    }

    @Provider
    public static class InvalidIdentityMapper implements ExceptionMapper<InvalidIdentityException> {
        @Override
        public Response toResponse(InvalidIdentityException e) {
            return ApiError.response(401, "unauthorized", e.getMessage(), null);
        }
    }

    /** Keeps JAX-RS's own status (404 for unknown paths, 405, 415...) but in our envelope. */
    @Provider
    public static class WebApplicationMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response r = e.getResponse();
            if (r != null && r.hasEntity()) {
                return r;
            }
            int status = r == null ? 500 : r.getStatus();
            String type = switch (status) {
                case 400 -> "invalid_request";
                case 401 -> "unauthorized";
                case 403 -> "forbidden";
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 415 -> "unsupported_media_type";
                default -> status >= 500 ? "internal_error" : "error";
            };
            return ApiError.response(status, type, e.getMessage(), null);
        }
    }

    /** Anything unexpected: 500 without internals; the stack trace goes to the log (and Sentry). */
    @Provider
    public static class UnexpectedMapper implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            LOG.error("unhandled error in management API", e);
            return ApiError.response(500, "internal_error",
                    "internal error; retry later, and report it if it persists", null);
        }
    }
}
