package io.bslassist.edt.ui;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import io.bslassist.edt.Editors;
import io.bslassist.edt.ServerManager;
import io.bslassist.edt.core.LspClient;
import io.bslassist.edt.core.MethodLocator;
import io.bslassist.edt.core.Role;
import java.util.concurrent.TimeUnit;
import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IConfigurationElement;
import org.eclipse.core.runtime.IExecutableExtension;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.text.IDocument;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IEditorPart;
import org.eclipse.ui.handlers.HandlerUtil;
import org.eclipse.ui.texteditor.ITextEditor;

/**
 * One handler class for every role: plugin.xml names the role after a colon
 * ({@code RoleHandler:explainMethod}). The role runs on the module and method under the
 * caret, in a job, and its result is shown in a dialog; edits arrive separately as
 * {@code workspace/applyEdit} and land in the editor's document.
 */
public final class RoleHandler extends AbstractHandler implements IExecutableExtension {
    private static final long TIMEOUT_SECONDS = 300;

    private Role role;

    @Override
    public void setInitializationData(IConfigurationElement config, String propertyName, Object data)
            throws CoreException {
        try {
            role = Role.byKey(String.valueOf(data));
        } catch (IllegalArgumentException e) {
            throw new CoreException(new Status(IStatus.ERROR, "io.bslassist.edt", e.getMessage(), e));
        }
    }

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        IEditorPart editor = HandlerUtil.getActiveEditor(event);
        ITextEditor text = Editors.textEditor(editor);
        IFile file = Editors.moduleFile(editor);
        IDocument document = text == null ? null : Editors.document(text);
        String uri = file == null ? null : Editors.uri(file);
        if (document == null || uri == null) {
            MessageDialog.openInformation(shell, role.label(), "Open a BSL or OneScript module (.bsl, .os) first.");
            return null;
        }
        ISelection selection = text.getSelectionProvider().getSelection();
        int line = selection instanceof ITextSelection t ? t.getStartLine() : 0;
        String method = MethodLocator.methodAt(document.get(), Math.max(line, 0)).orElse(null);
        JsonArray arguments = role.arguments(uri, method);
        if (arguments == null) {
            MessageDialog.openInformation(shell, role.label(), "Place the caret inside a procedure or function.");
            return null;
        }
        Display display = shell == null ? Display.getDefault() : shell.getDisplay();
        Job job = new Job("bsl-assist: " + role.label()) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    LspClient client = ServerManager.get().client().get(60, TimeUnit.SECONDS);
                    // The server runs the role on the text the user sees, not the last pause in typing.
                    // On the UI thread, after any re-open a (re)start queued there.
                    display.syncExec(() -> ServerManager.get().documents().flushFromEditor(file, document));
                    JsonElement result = client.executeCommand(role.serverCommand(), arguments)
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    Role.Shown shown = role.present(result);
                    if (shown != null) {
                        display.asyncExec(() -> new ResultDialog(display.getActiveShell(), shown).open());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    String message = role.describeError(e);
                    display.asyncExec(() -> MessageDialog.openError(display.getActiveShell(), role.label(), message));
                }
                return Status.OK_STATUS;
            }
        };
        job.setUser(true);
        job.schedule();
        return null;
    }
}
