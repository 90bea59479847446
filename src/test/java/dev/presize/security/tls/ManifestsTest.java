package dev.presize.security.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** certs/make-certs.sh and manifests/ on a copy, rendered with the real {@code kubectl kustomize}. */
class ManifestsTest {

    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("unchecked")
    void makeCertsThenKustomizeRendersEverything() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        copyTree(project.resolve("certs"), tmp.resolve("certs"));
        copyTree(project.resolve("manifests"), tmp.resolve("manifests"));

        TestPki.run(tmp, false, "bash", "certs/make-certs.sh");
        Path tls = tmp.resolve("manifests/tls");
        byte[] secretBefore = Files.readAllBytes(tls.resolve("secret.yaml"));
        TestPki.run(tmp, false, "bash", "certs/make-certs.sh");
        assertTrue(java.util.Arrays.equals(secretBefore, Files.readAllBytes(tls.resolve("secret.yaml"))), "idempotent");

        String rendered = TestPki.run(tmp, false, "kubectl", "kustomize", "manifests").output();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object o : new Yaml().loadAll(rendered)) {
            docs.add((Map<String, Object>) o);
        }
        Set<String> kinds = Set.copyOf(docs.stream().map(d -> d.get("kind") + "/" + namespaced(d)).toList());
        assertEquals(Set.of(
                "Namespace/presize-system",
                "ServiceAccount/presize-system/presize",
                "ClusterRoleBinding/presize:system:auth-delegator",
                "RoleBinding/kube-system/presize:extension-apiserver-authentication-reader",
                "ClusterRole/presize:workload-reader",
                "ClusterRoleBinding/presize:workload-reader",
                "ClusterRole/presize:requests-reader",
                "Deployment/presize-system/presize",
                "PodDisruptionBudget/presize-system/presize",
                "Service/presize-system/presize",
                "APIService/v1beta1.presize.dev",
                "Secret/presize-system/presize-tls"), kinds);

        Map<String, Object> apiService = find(docs, "APIService");
        Map<String, Object> spec = (Map<String, Object>) apiService.get("spec");
        String caBundle = (String) spec.get("caBundle");
        assertFalse(caBundle == null || caBundle.isEmpty(), "caBundle set");
        assertEquals(Files.readString(tls.resolve("ca.crt")), new String(Base64.getDecoder().decode(caBundle), StandardCharsets.US_ASCII));
        assertFalse(spec.containsKey("insecureSkipTLSVerify"));
        assertEquals(Map.of("name", "presize", "namespace", "presize-system", "port", 443), spec.get("service"));
        assertEquals("presize.dev", spec.get("group"));
        assertEquals("v1beta1", spec.get("version"));

        Map<String, Object> secret = find(docs, "Secret");
        assertEquals("kubernetes.io/tls", secret.get("type"));
        Map<String, String> data = (Map<String, String>) secret.get("data");
        assertEquals(Files.readString(tls.resolve("tls.crt")), new String(Base64.getDecoder().decode(data.get("tls.crt")), StandardCharsets.US_ASCII));

        // The serving certificate in the Secret verifies against the caBundle for every Service name.
        for (String name : List.of("presize.presize-system.svc", "presize.presize-system.svc.cluster.local", "presize", "presize.presize-system")) {
            TestPki.run(tls, false, "openssl", "verify", "-CAfile", "ca.crt", "-verify_hostname", name, "tls.crt");
        }
        // And the key in the Secret is the certificate's: our own loader agrees.
        new ServingCertificateFiles(tls.resolve("tls.crt"), tls.resolve("tls.key"), null).load();

        Map<String, Object> deployment = find(docs, "Deployment");
        String text = new Yaml().dump(deployment);
        for (String expected : List.of("image: presize:0.1.0", "--tls-cert-file=/etc/presize/tls/tls.crt", "path: /livez",
                "path: /readyz", "readOnlyRootFilesystem: true", "runAsNonRoot: true", "priorityClassName: system-cluster-critical")) {
            assertTrue(text.contains(expected), expected);
        }
        // The workload informers' rights, and nothing more: read-only, exactly the eight resources they watch.
        Map<String, Object> workloadReader = docs.stream().filter(d -> "ClusterRole".equals(d.get("kind"))
                && "presize:workload-reader".equals(((Map<?, ?>) d.get("metadata")).get("name"))).findFirst().orElseThrow();
        Map<String, Set<String>> resourcesByGroup = new java.util.TreeMap<>();
        for (Map<String, Object> rule : (List<Map<String, Object>>) workloadReader.get("rules")) {
            assertEquals(List.of("get", "list", "watch"), rule.get("verbs"), "verbs of " + rule);
            for (String group : (List<String>) rule.get("apiGroups")) {
                resourcesByGroup.computeIfAbsent(group, g -> new java.util.TreeSet<>()).addAll((List<String>) rule.get("resources"));
            }
            assertFalse(rule.containsKey("resourceNames") || rule.containsKey("nonResourceURLs"), String.valueOf(rule));
        }
        assertEquals(Map.of(
                "", Set.of("pods", "replicationcontrollers"),
                "apps", Set.of("deployments", "statefulsets", "daemonsets", "replicasets"),
                "batch", Set.of("jobs", "cronjobs")), resourcesByGroup);
        // Delegated auth needs exactly these two grants for the Deployment's service account.
        Map<String, Object> presizeAccount = Map.of("kind", "ServiceAccount", "name", "presize", "namespace", "presize-system");
        Map<String, Object> delegator = named(docs, "presize:system:auth-delegator");
        assertEquals(Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "system:auth-delegator"), delegator.get("roleRef"));
        assertEquals(List.of(presizeAccount), delegator.get("subjects"));
        Map<String, Object> authReader = named(docs, "presize:extension-apiserver-authentication-reader");
        assertEquals("kube-system", ((Map<?, ?>) authReader.get("metadata")).get("namespace"));
        assertEquals(Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", "Role", "name", "extension-apiserver-authentication-reader"),
                authReader.get("roleRef"));
        assertEquals(List.of(presizeAccount), authReader.get("subjects"));
        assertEquals("presize", ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) deployment.get("spec")).get("template")).get("spec")).get("serviceAccountName"));

        Map<String, Object> reader = docs.stream().filter(d -> "presize:requests-reader".equals(((Map<?, ?>) d.get("metadata")).get("name")))
                .findFirst().orElseThrow();
        Map<String, String> labels = (Map<String, String>) ((Map<String, Object>) reader.get("metadata")).get("labels");
        for (String role : List.of("view", "edit", "admin")) {
            assertEquals("true", labels.get("rbac.authorization.k8s.io/aggregate-to-" + role));
        }
        // Readers may use every verb discovery advertises (watch included), and nothing else.
        List<Map<String, Object>> rules = (List<Map<String, Object>>) reader.get("rules");
        assertEquals(1, rules.size());
        assertEquals(dev.presize.v1beta1.RequestsResource.VERBS, rules.get(0).get("verbs"));
    }

    @SuppressWarnings("unchecked")
    private static String namespaced(Map<String, Object> doc) {
        Map<String, Object> meta = (Map<String, Object>) doc.get("metadata");
        return meta.containsKey("namespace") ? meta.get("namespace") + "/" + meta.get("name") : (String) meta.get("name");
    }

    private static Map<String, Object> named(List<Map<String, Object>> docs, String name) {
        return docs.stream().filter(d -> name.equals(((Map<?, ?>) d.get("metadata")).get("name"))).findFirst().orElseThrow();
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
    }

    /** Copies a directory tree, leaving out generated key material (manifests/tls). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("tls")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
