package io.bslassist.edt.tests;

import static io.bslassist.edt.tests.Check.equal;
import static io.bslassist.edt.tests.Check.that;

import io.bslassist.edt.core.DiagnosticMarkers;
import io.bslassist.edt.core.Role;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.spi.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The bundle as EDT would see it: plugin.xml's extensions and the classes they name, the
 * manifest's headers, and whether every package the classes use comes from a bundle the
 * manifest requires (a mistake there is a ClassNotFoundException only inside OSGi).
 */
final class PluginDescriptorTest {
    private static final String BSL_CONTENT_TYPE = "com._1c.g5.v8.dt.bsl.contenttype";

    private final Path home;
    private final Path jarPath;
    private final String classpath;
    private final String bundledServer;

    PluginDescriptorTest(Path home, Path jarPath, String classpath, String bundledServer) {
        this.home = home;
        this.jarPath = jarPath;
        this.classpath = classpath;
        this.bundledServer = bundledServer;
    }

    void run(Check check) throws Exception {
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            Document xml = parse(jar);
            Manifest manifest = jar.getManifest();
            check.test("plugin.xml: problem marker type", () -> markerType(xml));
            check.test("plugin.xml: commands, handlers and context menu for every role", () -> commands(xml));
            check.test("plugin.xml: startup, preference page and initializer", () -> workbench(xml, jar));
            check.test("plugin.xml: LSP4E server and the EDT BSL content type", () -> lsp4e(xml, jar));
            check.test("plugin.xml: every class it names is in the jar and loads", () -> classesExist(xml, jar));
            check.test("MANIFEST.MF: bundle headers", () -> manifest(manifest, jar));
            check.test("jar: Java 17 class files, no LSP4E stub, bundled server", () -> jarContents(jar));
            check.test("MANIFEST.MF: every package used comes from a required bundle", () -> requiredBundles(manifest));
        }
    }

    private static Document parse(JarFile jar) throws Exception {
        JarEntry entry = jar.getJarEntry("plugin.xml");
        that(entry != null, "plugin.xml is in the jar");
        try (InputStream in = jar.getInputStream(entry)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        }
    }

    private static List<Element> extensions(Document xml, String point) {
        List<Element> found = new ArrayList<>();
        NodeList all = xml.getElementsByTagName("extension");
        for (int i = 0; i < all.getLength(); i++) {
            Element extension = (Element) all.item(i);
            if (point.equals(extension.getAttribute("point"))) {
                found.add(extension);
            }
        }
        return found;
    }

    private static Element only(Document xml, String point) {
        List<Element> found = extensions(xml, point);
        equal(1, found.size(), "extensions of " + point);
        return found.get(0);
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList all = parent.getElementsByTagName(tag);
        for (int i = 0; i < all.getLength(); i++) {
            found.add((Element) all.item(i));
        }
        return found;
    }

    private static void markerType(Document xml) {
        Element markers = only(xml, "org.eclipse.core.resources.markers");
        equal(DiagnosticMarkers.MARKER_TYPE, "io.bslassist.edt." + markers.getAttribute("id"), "marker type id");
        Set<String> supers = new HashSet<>();
        for (Element element : children(markers, "super")) {
            supers.add(element.getAttribute("type"));
        }
        that(supers.contains("org.eclipse.core.resources.problemmarker"), "a problem marker: " + supers);
        that(supers.contains("org.eclipse.core.resources.textmarker"), "a text marker: " + supers);
        equal("false", children(markers, "persistent").get(0).getAttribute("value"), "persistent");
    }

    private static void commands(Document xml) {
        Map<String, String> commands = new HashMap<>();
        for (Element command : children(only(xml, "org.eclipse.ui.commands"), "command")) {
            commands.put(command.getAttribute("id"), command.getAttribute("name"));
        }
        Map<String, String> handlers = new HashMap<>();
        for (Element handler : children(only(xml, "org.eclipse.ui.handlers"), "handler")) {
            handlers.put(handler.getAttribute("commandId"), handler.getAttribute("class"));
        }
        Element menus = only(xml, "org.eclipse.ui.menus");
        Set<String> locations = new HashSet<>();
        for (Element contribution : children(menus, "menuContribution")) {
            locations.add(contribution.getAttribute("locationURI"));
        }
        that(locations.contains("popup:#TextEditorContext?after=additions"), "the text editor's context menu: " + locations);
        Set<String> inMenu = new HashSet<>();
        for (Element command : children(menus, "command")) {
            inMenu.add(command.getAttribute("commandId"));
        }
        for (Role role : Role.values()) {
            that(commands.containsKey(role.commandId()), "command " + role.commandId() + " declared");
            equal("io.bslassist.edt.ui.RoleHandler:" + role.key(), handlers.get(role.commandId()),
                    "handler of " + role.commandId());
            that(inMenu.contains(role.commandId()), role.commandId() + " in the context menu");
        }
        equal(Role.values().length, commands.size(), "one command per role");
        that(menus.getElementsByTagName("visibleWhen").getLength() == 1, "the submenu shows only for modules");
    }

    private static void workbench(Document xml, JarFile jar) {
        equal("io.bslassist.edt.Startup",
                children(only(xml, "org.eclipse.ui.startup"), "startup").get(0).getAttribute("class"), "startup");
        Element page = children(only(xml, "org.eclipse.ui.preferencePages"), "page").get(0);
        equal("io.bslassist.edt.ui.PreferencePage", page.getAttribute("class"), "preference page");
        that(!page.getAttribute("name").isEmpty(), "the page has a name");
        equal("io.bslassist.edt.ui.PreferenceInitializer",
                children(only(xml, "org.eclipse.core.runtime.preferences"), "initializer").get(0).getAttribute("class"),
                "preference initializer");
    }

    private static void lsp4e(Document xml, JarFile jar) {
        Element extension = only(xml, "org.eclipse.lsp4e.languageServer");
        Element server = children(extension, "server").get(0);
        equal("io.bslassist.edt.server", server.getAttribute("id"), "server id");
        equal("io.bslassist.edt.LspServerConnection", server.getAttribute("class"), "server class");
        that(!server.getAttribute("label").isEmpty(), "server label");
        Element mapping = children(extension, "contentTypeMapping").get(0);
        equal(BSL_CONTENT_TYPE, mapping.getAttribute("contentType"), "content type");
        equal(server.getAttribute("id"), mapping.getAttribute("id"), "the mapping names the server");
    }

    /** Each class attribute (without the ":data" suffix) is a class in the jar that links. */
    private void classesExist(Document xml, JarFile jar) throws Exception {
        Set<String> names = new TreeSet<>();
        NodeList all = xml.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            String value = ((Element) all.item(i)).getAttribute("class");
            if (!value.isEmpty()) {
                names.add(value.split(":", 2)[0]);
            }
        }
        that(names.size() >= 5, "classes named: " + names);
        List<URL> urls = new ArrayList<>();
        urls.add(jarPath.toUri().toURL());
        for (String entry : classpath.split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), null)) {
            for (String name : names) {
                that(jar.getJarEntry(name.replace('.', '/') + ".class") != null, name + " is in the jar");
                if (name.equals("io.bslassist.edt.LspServerConnection")) {
                    // Its superclass comes from LSP4E, which only a real EDT with LSP4E provides.
                    Check.fails(NoClassDefFoundError.class, () -> Class.forName(name, false, loader),
                            "LspServerConnection needs the real LSP4E, not a shipped stub");
                } else {
                    Class.forName(name, false, loader);
                }
            }
            Class<?> page = Class.forName("io.bslassist.edt.ui.PreferencePage", false, loader);
            that(Class.forName("org.eclipse.ui.IWorkbenchPreferencePage", false, loader).isAssignableFrom(page),
                    "PreferencePage is an IWorkbenchPreferencePage");
            Class<?> startup = Class.forName("io.bslassist.edt.Startup", false, loader);
            that(Class.forName("org.eclipse.ui.IStartup", false, loader).isAssignableFrom(startup),
                    "Startup is an IStartup");
            Class<?> handler = Class.forName("io.bslassist.edt.ui.RoleHandler", false, loader);
            that(Class.forName("org.eclipse.core.runtime.IExecutableExtension", false, loader).isAssignableFrom(handler),
                    "RoleHandler takes its role as executable-extension data");
        }
    }

    private static void manifest(Manifest manifest, JarFile jar) {
        Attributes main = manifest.getMainAttributes();
        equal("2", main.getValue("Bundle-ManifestVersion"), "Bundle-ManifestVersion");
        equal("io.bslassist.edt;singleton:=true", main.getValue("Bundle-SymbolicName").replace(" ", ""),
                "Bundle-SymbolicName");
        that(main.getValue("Bundle-Version").matches("\\d+\\.\\d+\\.\\d+"),
                "a real Bundle-Version, no .qualifier: " + main.getValue("Bundle-Version"));
        equal("dir", main.getValue("Eclipse-BundleShape"), "Eclipse-BundleShape");
        equal("JavaSE-17", main.getValue("Bundle-RequiredExecutionEnvironment"), "execution environment");
        equal("lazy", main.getValue("Bundle-ActivationPolicy"), "activation policy");
        String activator = main.getValue("Bundle-Activator");
        that(jar.getJarEntry(activator.replace('.', '/') + ".class") != null, "the activator is in the jar");
        Map<String, String> required = requireBundle(main.getValue("Require-Bundle"));
        for (String bundle : List.of("org.eclipse.core.runtime", "org.eclipse.core.resources", "org.eclipse.ui",
                "org.eclipse.jface.text", "org.eclipse.ui.workbench.texteditor", "com.google.gson")) {
            that(required.containsKey(bundle), "Require-Bundle has " + bundle);
            that(!required.get(bundle).contains("optional"), bundle + " is not optional");
        }
        that(required.getOrDefault("org.eclipse.lsp4e", "").contains("resolution:=optional"),
                "LSP4E is optional, so the bundle resolves in an EDT without it");
    }

    /** Require-Bundle as bundle name to its directives. */
    private static Map<String, String> requireBundle(String header) {
        Map<String, String> bundles = new HashMap<>();
        if (header == null) {
            return bundles;
        }
        // Commas inside quoted version ranges do not separate bundles.
        for (String clause : header.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            String[] parts = clause.trim().split(";", 2);
            bundles.put(parts[0].trim(), parts.length > 1 ? parts[1] : "");
        }
        return bundles;
    }

    private void jarContents(JarFile jar) throws Exception {
        int classes = 0;
        for (JarEntry entry : java.util.Collections.list(jar.entries())) {
            String name = entry.getName();
            that(!name.startsWith("org/"), "no foreign classes (the LSP4E stub) in the jar: " + name);
            if (name.endsWith(".class")) {
                classes++;
                try (InputStream in = jar.getInputStream(entry)) {
                    byte[] head = in.readNBytes(8);
                    equal(61, ((head[6] & 0xff) << 8) | (head[7] & 0xff), "class file version of " + name);
                }
            }
        }
        that(classes > 10, "classes in the jar: " + classes);
        if (bundledServer != null && !bundledServer.isBlank()) {
            JarEntry server = jar.getJarEntry("server/bsl-assist");
            that(server != null, "server/bsl-assist is bundled");
            equal(new File(bundledServer).length(), server.getSize(), "the bundled server's size");
        }
    }

    /**
     * Runs jdeps over the jar, maps each jar a package was found in to its bundle, and checks
     * the bundle is required or re-exported by a required one (as org.eclipse.ui re-exports
     * JFace and SWT).
     */
    private void requiredBundles(Manifest manifest) throws Exception {
        Map<String, String> bundleOfJar = new HashMap<>();
        Map<String, Set<String>> reexports = new HashMap<>();
        for (File candidate : new File("/usr/share/java").listFiles((d, n) -> n.endsWith(".jar"))) {
            try (JarFile jar = new JarFile(candidate)) {
                Manifest m = jar.getManifest();
                String name = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
                if (name == null) {
                    continue;
                }
                name = name.split(";")[0].trim();
                bundleOfJar.put(candidate.getName(), name);
                Set<String> exported = new HashSet<>();
                requireBundle(m.getMainAttributes().getValue("Require-Bundle")).forEach((bundle, directives) -> {
                    if (directives.replace(" ", "").contains("visibility:=reexport")) {
                        exported.add(bundle);
                    }
                });
                reexports.merge(name, exported, (a, b) -> {
                    a.addAll(b);
                    return a;
                });
            } catch (java.io.IOException e) {
                // Not a readable jar: not one of ours.
            }
        }
        bundleOfJar.put("lsp4e-stub.jar", "org.eclipse.lsp4e");
        // OSGi's own packages come from the system bundle, visible to every bundle.
        Set<String> visible = new HashSet<>(Set.of("org.eclipse.osgi", "system.bundle"));
        List<String> pending = new ArrayList<>(requireBundle(manifest.getMainAttributes().getValue("Require-Bundle")).keySet());
        while (!pending.isEmpty()) {
            String bundle = pending.remove(pending.size() - 1);
            if (visible.add(bundle)) {
                pending.addAll(reexports.getOrDefault(bundle, Set.of()));
            }
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String stub = jarPath.getParent().resolve("lsp4e-stub.jar").toString();
        int code = jdeps.run(new PrintWriter(out, true), new PrintWriter(System.err, true), "-verbose:package",
                "-cp", classpath + File.pathSeparator + stub, jarPath.toString());
        equal(0, code, "jdeps exit code");
        Set<String> missing = new TreeSet<>();
        for (String line : out.toString().split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 4 && fields[1].equals("->") && fields[3].endsWith(".jar")) {
                String jar = fields[3];
                if (jar.startsWith("io.bslassist.edt")) {
                    continue;
                }
                String bundle = bundleOfJar.get(jar);
                if (bundle == null || !visible.contains(bundle)) {
                    missing.add(fields[2] + " (" + jar + ", bundle " + bundle + ")");
                }
            } else if (line.contains("not found")) {
                missing.add(line.trim());
            }
        }
        that(missing.isEmpty(), "packages from bundles the manifest does not require: " + missing);
    }
}
