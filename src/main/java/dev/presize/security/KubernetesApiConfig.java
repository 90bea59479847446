package dev.presize.security;

import dev.presize.security.tls.PemFiles;
import io.kubernetes.client.util.KubeConfig;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How to reach the Kubernetes API: from {@code --kubeconfig} (its current context: server, CA,
 * client certificate or token) or, when that is empty, the pod's service account, as client-go's
 * {@code rest.InClusterConfig} does. The one place that turns those into an endpoint, TLS material
 * and credentials, so every Kubernetes-API user in Presize reaches the cluster the same way.
 *
 * @param server      base URI of the API server, without a trailing slash
 * @param ssl         TLS context: the cluster CA (or the JDK's trust store) and the client certificate, if any
 * @param bearerToken the current token, read on each call (in-cluster tokens are rotated on disk)
 * @param description where this came from, for log and error messages
 */
public record KubernetesApiConfig(URI server, SSLContext ssl, Supplier<Optional<String>> bearerToken, String description) {

    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    /** Loads {@code kubeconfig}, or the in-cluster configuration when it is blank. */
    public static KubernetesApiConfig load(String kubeconfig, Map<String, String> env) {
        return kubeconfig == null || kubeconfig.isBlank() ? inCluster(env, SERVICE_ACCOUNT) : fromKubeconfig(Path.of(kubeconfig.trim()));
    }

    static KubernetesApiConfig inCluster(Map<String, String> env, Path serviceAccount) {
        String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "");
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "");
        if (host.isEmpty() || port.isEmpty()) {
            throw new SecurityConfigurationException("--kubeconfig is empty and this is not a pod (KUBERNETES_SERVICE_HOST/PORT are not set): "
                    + "Presize needs the Kubernetes API for TokenReview and SubjectAccessReview; give --kubeconfig");
        }
        Path tokenFile = serviceAccount.resolve("token");
        Path caFile = serviceAccount.resolve("ca.crt");
        if (!Files.isReadable(tokenFile)) {
            throw new SecurityConfigurationException("in-cluster configuration: cannot read the service account token " + tokenFile);
        }
        List<X509Certificate> ca = PemFiles.parseCertificates(PemFiles.read(caFile, "in-cluster CA " + caFile), "in-cluster CA " + caFile);
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        return new KubernetesApiConfig(URI.create("https://" + hostPart + ":" + port), sslContext(ca, null, null, false),
                () -> readToken(tokenFile), "in-cluster service account");
    }

    static KubernetesApiConfig fromKubeconfig(Path file) {
        String label = "--kubeconfig=" + file;
        KubeConfig kc;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            kc = KubeConfig.loadKubeConfig(r);
            kc.setFile(file.toAbsolutePath().toFile());
        } catch (IOException | RuntimeException e) {
            throw new SecurityConfigurationException(label + ": cannot read: " + e.getMessage());
        }
        try {
            String server = kc.getServer();
            if (server == null || server.isBlank()) {
                throw new SecurityConfigurationException(label + ": the current context has no cluster server");
            }
            byte[] caPem = kc.getDataOrFileRelative(kc.getCertificateAuthorityData(), kc.getCertificateAuthorityFile());
            byte[] certPem = kc.getDataOrFileRelative(kc.getClientCertificateData(), kc.getClientCertificateFile());
            byte[] keyPem = kc.getDataOrFileRelative(kc.getClientKeyData(), kc.getClientKeyFile());
            List<X509Certificate> ca = caPem == null ? null : PemFiles.parseCertificates(caPem, label + " certificate-authority");
            List<X509Certificate> cert = certPem == null ? null : PemFiles.parseCertificates(certPem, label + " client-certificate");
            PrivateKey key = keyPem == null ? null : PemFiles.parsePrivateKey(keyPem, label + " client-key");
            Map<String, String> credentials = kc.getCredentials();
            String token = credentials == null ? null : credentials.get(KubeConfig.CRED_TOKEN_KEY);
            Optional<String> fixedToken = Optional.ofNullable(token).filter(t -> !t.isBlank());
            String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
            return new KubernetesApiConfig(URI.create(base), sslContext(ca, cert, key, !kc.verifySSL()), () -> fixedToken,
                    label + " (" + base + ")");
        } catch (IOException | RuntimeException e) {
            if (e instanceof SecurityConfigurationException s) {
                throw s;
            }
            throw new SecurityConfigurationException(label + ": " + e.getMessage());
        }
    }

    private static Optional<String> readToken(Path tokenFile) {
        try {
            String t = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
            return t.isEmpty() ? Optional.empty() : Optional.of(t);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static SSLContext sslContext(List<X509Certificate> ca, List<X509Certificate> clientChain, PrivateKey clientKey,
                                         boolean insecure) {
        try {
            TrustManager[] trust = null;
            if (insecure) {
                trust = new TrustManager[] {new InsecureTrustManager()};
            } else if (ca != null) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                for (int i = 0; i < ca.size(); i++) {
                    ts.setCertificateEntry("ca" + i, ca.get(i));
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
                trust = tmf.getTrustManagers();
            }
            KeyManager[] keys = null;
            if (clientChain != null && clientKey != null) {
                char[] password = "in-memory".toCharArray();
                KeyStore ks = KeyStore.getInstance("JKS");
                ks.load(null, null);
                ks.setKeyEntry("client", clientKey, password, clientChain.toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
                keys = kmf.getKeyManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new SecurityConfigurationException("cannot set up TLS for the Kubernetes API: " + e.getMessage());
        }
    }

    /** Only for a kubeconfig that says {@code insecure-skip-tls-verify: true}, as client-go honours it. */
    private static final class InsecureTrustManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
