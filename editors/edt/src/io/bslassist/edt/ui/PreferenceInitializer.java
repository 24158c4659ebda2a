package io.bslassist.edt.ui;

import io.bslassist.edt.Activator;
import io.bslassist.edt.core.Settings;
import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;
import org.eclipse.jface.preference.IPreferenceStore;

/** Defaults, as the server's: the bundled server, the LLM off, loopback endpoints only. */
public final class PreferenceInitializer extends AbstractPreferenceInitializer {
    @Override
    public void initializeDefaultPreferences() {
        IPreferenceStore store = Activator.getDefault().getPreferenceStore();
        store.setDefault(Settings.SERVER_PATH, "");
        store.setDefault(Settings.LLM_ENABLED, false);
        store.setDefault(Settings.LLM_BASE_URL, "");
        store.setDefault(Settings.LLM_MODEL, "");
        store.setDefault(Settings.LLM_API_KEY_ENV, "");
        store.setDefault(Settings.LLM_LOCAL_ONLY, true);
    }
}
