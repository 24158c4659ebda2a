package io.bslassist.edt.ui;

import io.bslassist.edt.core.Role;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.dnd.Transfer;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/** A role's result (Markdown, a test module or a Mermaid diagram) as read-only text to copy. */
final class ResultDialog extends Dialog {
    private static final int COPY = IDialogConstants.CLIENT_ID + 1;

    private final Role.Shown shown;

    ResultDialog(Shell parent, Role.Shown shown) {
        super(parent);
        this.shown = shown;
        setShellStyle(getShellStyle() | SWT.RESIZE | SWT.MAX);
    }

    @Override
    protected void configureShell(Shell shell) {
        super.configureShell(shell);
        shell.setText("bsl-assist: " + shown.title());
    }

    @Override
    protected Control createDialogArea(Composite parent) {
        Composite area = (Composite) super.createDialogArea(parent);
        Text text = new Text(area, SWT.MULTI | SWT.READ_ONLY | SWT.BORDER | SWT.V_SCROLL | SWT.H_SCROLL);
        text.setFont(JFaceResources.getTextFont());
        text.setText(shown.text());
        GridData layout = new GridData(SWT.FILL, SWT.FILL, true, true);
        layout.widthHint = 760;
        layout.heightHint = 480;
        text.setLayoutData(layout);
        return area;
    }

    @Override
    protected void createButtonsForButtonBar(Composite parent) {
        createButton(parent, COPY, "Copy", false);
        createButton(parent, IDialogConstants.OK_ID, IDialogConstants.CLOSE_LABEL, true);
    }

    @Override
    protected void buttonPressed(int buttonId) {
        if (buttonId == COPY) {
            Clipboard clipboard = new Clipboard(getShell().getDisplay());
            try {
                clipboard.setContents(new Object[] {shown.text()}, new Transfer[] {TextTransfer.getInstance()});
            } finally {
                clipboard.dispose();
            }
            return;
        }
        super.buttonPressed(buttonId);
    }
}
