package io.bslassist.edt;

import com.google.gson.JsonArray;
import io.bslassist.edt.core.DiagnosticMarkers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

/**
 * Writes the server's diagnostics onto module files as problem markers: each publication
 * replaces all of ours on that file, an empty one removes them. Publications are coalesced
 * per file and written by one job, outside the resource-change notification that may have
 * caused them (markers cannot be changed while the tree is locked).
 */
final class MarkerUpdater {
    private final DocumentTracker documents;
    private final Map<String, JsonArray> queue = new ConcurrentHashMap<>();
    private final Job job = new Job("bsl-assist problem markers") {
        @Override
        protected IStatus run(IProgressMonitor monitor) {
            return flush(monitor);
        }
    };

    MarkerUpdater(DocumentTracker documents) {
        this.documents = documents;
        job.setSystem(true);
    }

    void update(String uri, JsonArray diagnostics) {
        queue.put(uri, diagnostics);
        job.schedule(50);
    }

    private IStatus flush(IProgressMonitor monitor) {
        for (String uri : new ArrayList<>(queue.keySet())) {
            JsonArray diagnostics = queue.remove(uri);
            IFile file = DocumentTracker.fileAt(uri);
            if (diagnostics == null || file == null || !file.exists()) {
                continue;
            }
            String text = diagnostics.size() == 0 ? "" : documents.text(uri, file);
            if (text == null) {
                continue;
            }
            List<Map<String, Object>> markers = DiagnosticMarkers.attributes(diagnostics, text);
            try {
                ResourcesPlugin.getWorkspace().run(m -> replace(file, markers), null, IWorkspace.AVOID_UPDATE, monitor);
            } catch (CoreException e) {
                return new Status(IStatus.WARNING, Activator.PLUGIN_ID, "bsl-assist: cannot update markers of " + uri, e);
            }
        }
        return Status.OK_STATUS;
    }

    private static void replace(IFile file, List<Map<String, Object>> markers) throws CoreException {
        file.deleteMarkers(DiagnosticMarkers.MARKER_TYPE, false, IResource.DEPTH_ZERO);
        for (Map<String, Object> attributes : markers) {
            IMarker marker = file.createMarker(DiagnosticMarkers.MARKER_TYPE);
            marker.setAttributes(attributes);
        }
    }
}
