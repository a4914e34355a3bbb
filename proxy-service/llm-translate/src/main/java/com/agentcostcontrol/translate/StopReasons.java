package com.agentcostcontrol.translate;

/** Anthropic {@code stop_reason} and OpenAI {@code finish_reason}, both ways. */
public final class StopReasons {

    private StopReasons() {
    }

    /**
     * end_turn, stop_sequence, pause_turn -> stop; max_tokens, model_context_window_exceeded ->
     * length; tool_use -> tool_calls; refusal -> content_filter; anything else -> stop.
     */
    public static String toOpenAi(String anthropicStopReason) {
        if (anthropicStopReason == null) {
            return "stop";
        }
        return switch (anthropicStopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * stop -> end_turn (OpenAI does not say whether a stop sequence matched); length -> max_tokens;
     * tool_calls, function_call -> tool_use; content_filter -> refusal; anything else -> end_turn.
     */
    public static String toAnthropic(String openAiFinishReason) {
        if (openAiFinishReason == null) {
            return "end_turn";
        }
        return switch (openAiFinishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }
}
