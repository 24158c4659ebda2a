package io.bslassist.edt.core;

import com.google.gson.JsonObject;
import java.util.function.Function;

/**
 * The plugin's preference keys and their translation into the server's
 * {@code initializationOptions}, in the server's own setting names ({@code llm.enabled},
 * {@code llm.baseUrl}, ...). The API key itself is never stored: the preferences hold the
 * name of the environment variable that has it, and the server reads that variable.
 */
public final class Settings {
    public static final String SERVER_PATH = "serverPath";
    public static final String LLM_ENABLED = "llm.enabled";
    public static final String LLM_BASE_URL = "llm.baseUrl";
    public static final String LLM_MODEL = "llm.model";
    public static final String LLM_API_KEY_ENV = "llm.apiKeyEnv";
    public static final String LLM_LOCAL_ONLY = "llm.localOnly";

    private Settings() {
    }

    /**
     * {@code {"bsl-assist": {"llm": {...}}}} from the preference values; blank strings are
     * left out so the server keeps its own defaults.
     */
    public static JsonObject initializationOptions(Function<String, String> preferences) {
        JsonObject llm = new JsonObject();
        llm.addProperty("enabled", Boolean.parseBoolean(preferences.apply(LLM_ENABLED)));
        putIfSet(llm, "baseUrl", preferences.apply(LLM_BASE_URL));
        putIfSet(llm, "model", preferences.apply(LLM_MODEL));
        putIfSet(llm, "apiKeyEnv", preferences.apply(LLM_API_KEY_ENV));
        llm.addProperty("localOnly", Boolean.parseBoolean(preferences.apply(LLM_LOCAL_ONLY)));
        JsonObject ours = new JsonObject();
        ours.add("llm", llm);
        JsonObject options = new JsonObject();
        options.add("bsl-assist", ours);
        return options;
    }

    private static void putIfSet(JsonObject object, String key, String value) {
        if (value != null && !value.isBlank()) {
            object.addProperty(key, value.strip());
        }
    }
}
