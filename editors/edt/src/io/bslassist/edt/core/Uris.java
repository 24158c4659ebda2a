package io.bslassist.edt.core;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;

/** File paths to the URIs the server receives, and back. */
public final class Uris {
    private Uris() {
    }

    /**
     * A file URI with non-ASCII characters percent-encoded ({@code file:///home/...}), the form
     * editors send; Cyrillic module paths are common in 1C projects.
     */
    public static String fromPath(Path path) {
        return path.toAbsolutePath().normalize().toUri().toASCIIString();
    }

    /** The path of a {@code file:} URI, or null for any other scheme or a malformed URI. */
    public static Path toPath(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (!"file".equalsIgnoreCase(parsed.getScheme())) {
                return null;
            }
            return Paths.get(parsed).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /** Whether a file name is a BSL or OneScript module. */
    public static boolean isModule(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".bsl") || lower.endsWith(".os");
    }

    /** The language id the server expects for a module file. */
    public static String languageId(String fileName) {
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".os") ? "os" : "bsl";
    }
}
