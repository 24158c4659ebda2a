package io.bslassist.edt.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The assistants' roles offered in the editor's context menu, each one server command. The
 * arguments and the way a result reads are decided here so they are tested without a
 * workbench.
 */
public enum Role {
    GENERATE_TESTS("generateTests", "bsl-assist.generateTests", "Generate tests", true, true),
    EXPLAIN_METHOD("explainMethod", "bsl-assist.explainMethod", "Explain method", true, false),
    ADD_DOC_COMMENT("addDocComment", "bsl-assist.addDocComment", "Add doc comment", true, false),
    REVIEW("review", "bsl-assist.review", "Review module", false, true),
    DIAGRAM("diagram", "bsl-assist.diagram", "Diagram", false, true);

    /** The plugin.xml command id is this prefix plus the role's key. */
    public static final String COMMAND_PREFIX = "io.bslassist.edt.command.";

    private final String key;
    private final String serverCommand;
    private final String label;
    private final boolean takesMethod;
    private final boolean wholeModuleAllowed;

    Role(String key, String serverCommand, String label, boolean takesMethod, boolean wholeModuleAllowed) {
        this.key = key;
        this.serverCommand = serverCommand;
        this.label = label;
        this.takesMethod = takesMethod;
        this.wholeModuleAllowed = wholeModuleAllowed;
    }

    public String key() {
        return key;
    }

    public String serverCommand() {
        return serverCommand;
    }

    public String label() {
        return label;
    }

    public String commandId() {
        return COMMAND_PREFIX + key;
    }

    public static Role byKey(String key) {
        for (Role role : values()) {
            if (role.key.equals(key)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown bsl-assist role: " + key);
    }

    /**
     * The command's arguments, or null when the role needs a method and the caret is in
     * none. {@code generateTests} takes {@code ""} for the whole module.
     */
    public JsonArray arguments(String uri, String methodName) {
        JsonArray arguments = new JsonArray();
        arguments.add(uri);
        if (!takesMethod) {
            return arguments;
        }
        if (methodName == null || methodName.isEmpty()) {
            if (!wholeModuleAllowed) {
                return null;
            }
            methodName = "";
        }
        arguments.add(methodName);
        return arguments;
    }

    /** What to show for a result: a title and text, or null when nothing needs showing. */
    public Shown present(JsonElement result) {
        JsonObject object = result != null && result.isJsonObject() ? result.getAsJsonObject() : new JsonObject();
        return switch (this) {
            case EXPLAIN_METHOD, REVIEW -> new Shown(label, string(object, "markdown"));
            case DIAGRAM -> new Shown(string(object, "title").isEmpty() ? label : string(object, "title"),
                    string(object, "mermaid"));
            case GENERATE_TESTS -> {
                String name = string(object, "suggestedName");
                String where = bool(object, "applied") && object.has("uri")
                        ? "Written to " + string(object, "uri") + "\n\n" : "";
                yield new Shown(name.isEmpty() ? label : name, where + string(object, "text"));
            }
            case ADD_DOC_COMMENT -> bool(object, "applied") ? null
                    : new Shown(label, string(object, "reason").isEmpty() ? "The server did not change the module."
                            : "The module was not changed: " + string(object, "reason"));
        };
    }

    /** A dialog's title and body. */
    public record Shown(String title, String text) {
    }

    /** Words for an error response; old servers answer unknown commands with an error. */
    public String describeError(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof JsonRpcConnection.ResponseError)) {
            cause = cause.getCause();
        }
        String message = String.valueOf(cause.getMessage());
        boolean unknown = cause instanceof JsonRpcConnection.ResponseError response
                && response.code() == JsonRpcConnection.METHOD_NOT_FOUND
                || message.toLowerCase(java.util.Locale.ROOT).contains("unknown command");
        if (unknown) {
            return "This bsl-assist server does not offer \"" + label + "\" (" + serverCommand
                    + "). Update the server or point the preferences at a newer binary.";
        }
        return label + " failed: " + message;
    }

    private static String string(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value == null || value.isJsonNull() ? "" : value.getAsString();
    }

    private static boolean bool(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value != null && value.isJsonPrimitive() && value.getAsBoolean();
    }
}
