package io.bslassist.edt;

import io.bslassist.edt.core.Uris;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IResourceChangeEvent;
import org.eclipse.core.resources.IResourceChangeListener;
import org.eclipse.core.resources.IResourceDelta;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * Module files changed, added or deleted in the workspace reach the server. Large batches of
 * added files (a project import, a checkout) are left alone: checking thousands of modules
 * at once is the command line's job, and the server indexes the workspace itself.
 */
final class ResourceWatcher implements IResourceChangeListener {
    private static final int MAX_ADDED_PER_EVENT = 50;

    private final DocumentTracker documents;

    ResourceWatcher(DocumentTracker documents) {
        this.documents = documents;
    }

    void install() {
        ResourcesPlugin.getWorkspace().addResourceChangeListener(this, IResourceChangeEvent.POST_CHANGE);
    }

    @Override
    public void resourceChanged(IResourceChangeEvent event) {
        IResourceDelta root = event.getDelta();
        if (root == null) {
            return;
        }
        List<IFile> changed = new ArrayList<>();
        List<IFile> added = new ArrayList<>();
        List<IFile> removed = new ArrayList<>();
        try {
            root.accept(delta -> {
                IResource resource = delta.getResource();
                if (resource.getType() != IResource.FILE) {
                    return true;
                }
                if (!Uris.isModule(resource.getName())) {
                    return false;
                }
                IFile file = (IFile) resource;
                switch (delta.getKind()) {
                    case IResourceDelta.ADDED -> added.add(file);
                    case IResourceDelta.REMOVED -> removed.add(file);
                    case IResourceDelta.CHANGED -> {
                        if ((delta.getFlags() & (IResourceDelta.CONTENT | IResourceDelta.REPLACED)) != 0) {
                            changed.add(file);
                        }
                    }
                    default -> {
                    }
                }
                return false;
            });
        } catch (CoreException e) {
            Activator.log(IStatus.WARNING, "bsl-assist: cannot read a resource change", e);
            return;
        }
        if (added.size() <= MAX_ADDED_PER_EVENT) {
            changed.addAll(added);
        }
        if (changed.isEmpty() && removed.isEmpty()) {
            return;
        }
        Job job = new Job("bsl-assist: send changed modules") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                removed.forEach(documents::fileRemoved);
                changed.forEach(documents::fileChanged);
                return Status.OK_STATUS;
            }
        };
        job.setSystem(true);
        job.schedule();
    }
}
