package io.bslassist.edt.ui;

import io.bslassist.edt.Activator;
import io.bslassist.edt.ServerManager;
import io.bslassist.edt.core.Settings;
import org.eclipse.jface.preference.BooleanFieldEditor;
import org.eclipse.jface.preference.FieldEditorPreferencePage;
import org.eclipse.jface.preference.FileFieldEditor;
import org.eclipse.jface.preference.StringFieldEditor;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

/**
 * Preferences > bsl-assist: the server binary and the LLM connection. The API key is not
 * entered here; the page takes the name of the environment variable that holds it.
 */
public final class PreferencePage extends FieldEditorPreferencePage implements IWorkbenchPreferencePage {
    private String serverPathBefore;

    public PreferencePage() {
        super(GRID);
        setDescription("bsl-assist language server for BSL and OneScript modules.");
    }

    @Override
    public void init(IWorkbench workbench) {
        setPreferenceStore(Activator.getDefault().getPreferenceStore());
        serverPathBefore = getPreferenceStore().getString(Settings.SERVER_PATH);
    }

    @Override
    protected void createFieldEditors() {
        addField(new FileFieldEditor(Settings.SERVER_PATH, "Server binary (empty: the bundled one):",
                true, getFieldEditorParent()));
        addField(new BooleanFieldEditor(Settings.LLM_ENABLED,
                "Let the assistants call a language model (nothing leaves the machine while this is off)",
                getFieldEditorParent()));
        addField(new StringFieldEditor(Settings.LLM_BASE_URL, "LLM base URL (OpenAI-compatible):",
                getFieldEditorParent()));
        addField(new StringFieldEditor(Settings.LLM_MODEL, "LLM model:", getFieldEditorParent()));
        addField(new StringFieldEditor(Settings.LLM_API_KEY_ENV, "Environment variable with the API key:",
                getFieldEditorParent()));
        addField(new BooleanFieldEditor(Settings.LLM_LOCAL_ONLY, "Local models only (refuse non-loopback endpoints)",
                getFieldEditorParent()));
    }

    @Override
    public boolean performOk() {
        boolean ok = super.performOk();
        String serverPath = getPreferenceStore().getString(Settings.SERVER_PATH);
        boolean serverChanged = !serverPath.equals(serverPathBefore);
        serverPathBefore = serverPath;
        ServerManager.get().settingsChanged(serverChanged);
        return ok;
    }
}
