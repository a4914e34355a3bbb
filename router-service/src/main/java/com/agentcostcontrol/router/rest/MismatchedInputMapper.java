package com.agentcostcontrol.router.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.agentcostcontrol.platform.error.ApiExceptionMappers;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A body value of the wrong type ({@code "weight": "heavy"}): quarkus-rest-jackson's built-in mapper
 * for {@link MismatchedInputException} is more specific than service-kit's JSON mapper and would
 * answer outside the error envelope; this hands the exception to service-kit's mapper, which names
 * the field.
 */
@Provider
public class MismatchedInputMapper implements ExceptionMapper<MismatchedInputException> {

    private final ApiExceptionMappers.JsonMapper delegate = new ApiExceptionMappers.JsonMapper();

    @Override
    public Response toResponse(MismatchedInputException e) {
        return delegate.toResponse(e);
    }
}
