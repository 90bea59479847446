package dev.presize.security.authentication;

import dev.presize.kubernetes.ConfigMapInformer;
import dev.presize.kubernetes.KubernetesClientFactory;
import dev.presize.security.SecurityConfigurationException;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The current {@link TrustConfiguration}, merged as k8s.io/apiserver's
 * {@code DelegatingAuthenticationOptions.ApplyTo} (pkg/server/options/authentication.go) does:
 * {@code --client-ca-file} if given, else {@code client-ca-file} of ConfigMap
 * {@code kube-system/extension-apiserver-authentication}; {@code --requestheader-client-ca-file}
 * with all {@code --requestheader-*} flags if given, else the ConfigMap's {@code requestheader-*}
 * keys. The ConfigMap is read at start (a failure stops the server unless
 * {@code --authentication-tolerate-lookup-failure}) and then followed by an informer; the CA files
 * are re-read every {@code --tls-reload-interval}. Each change replaces the configuration at
 * once, so the next request is verified against the new CAs. A change that cannot be used (a
 * broken PEM) is logged and the previous material stays.
 *
 * <p>Created at start ({@code @Context}) so a missing or broken setting stops the server with its
 * message. Not in {@code --demo}.
 */
@Context
@Requires(property = "presize.demo", notEquals = "true")
public class TrustConfigurationSource {

    private static final Logger LOG = LoggerFactory.getLogger(TrustConfigurationSource.class);

    private final AuthenticationProperties properties;
    private final CaFile clientCaFile;
    private final CaFile requestHeaderCaFile;
    private final ConfigMapInformer configMap;
    private final ScheduledExecutorService filePoller;
    private List<X509Certificate> clientCaFromFile;
    private List<X509Certificate> requestHeaderCaFromFile;
    private AuthenticationConfigMap.Contents fromConfigMap = AuthenticationConfigMap.Contents.EMPTY;
    private volatile TrustConfiguration current = TrustConfiguration.NONE;

    public TrustConfigurationSource(AuthenticationProperties properties, KubernetesClientFactory clients) {
        this.properties = properties;
        this.clientCaFile = AuthenticationProperties.isSet(properties.clientCaFile())
                ? new CaFile(Path.of(properties.clientCaFile().trim()), "client-ca-file") : null;
        this.requestHeaderCaFile = AuthenticationProperties.isSet(properties.requestheaderClientCaFile())
                ? new CaFile(Path.of(properties.requestheaderClientCaFile().trim()), "requestheader-client-ca-file") : null;
        boolean lookup = !properties.authenticationSkipLookup() && (clientCaFile == null || requestHeaderCaFile == null);
        if (!lookup && clientCaFile == null && requestHeaderCaFile == null) {
            throw new SecurityConfigurationException("no certificate authority to authenticate the front proxy or client certificates with: "
                    + "--authentication-skip-lookup is set, so give --requestheader-client-ca-file (the aggregator's front-proxy CA) "
                    + "and/or --client-ca-file, or drop --authentication-skip-lookup to read ConfigMap "
                    + AuthenticationConfigMap.NAMESPACE + "/" + AuthenticationConfigMap.NAME);
        }
        try {
            clientCaFromFile = clientCaFile == null ? null : clientCaFile.load();
            requestHeaderCaFromFile = requestHeaderCaFile == null ? null : requestHeaderCaFile.load();
        } catch (RuntimeException e) {
            throw new SecurityConfigurationException(e.getMessage());
        }
        recompute();

        this.configMap = lookup ? new ConfigMapInformer(clients, AuthenticationConfigMap.NAMESPACE, AuthenticationConfigMap.NAME,
                properties.authenticationTokenWebhookTimeout()) : null;
        if (configMap != null) {
            lookUp(clients);
        }
        if (!current.hasAnyCa()) {
            LOG.warn("No client CA and no front-proxy CA configured: only bearer tokens can authenticate; "
                    + "requests proxied by kube-apiserver will be rejected until {} has requestheader-client-ca-file",
                    configMap == null ? "" : configMap.describe());
        }

        Duration interval = properties.tlsReloadInterval();
        this.filePoller = clientCaFile == null && requestHeaderCaFile == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "presize-ca-reload");
            t.setDaemon(true);
            return t;
        });
        if (filePoller != null) {
            filePoller.scheduleWithFixedDelay(this::reloadFiles, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The trust material to verify the current request with. */
    public TrustConfiguration current() {
        return current;
    }

    /**
     * Reads the ConfigMap once, as k8s.io/apiserver's {@code lookupMissingConfigInCluster}: absent
     * is no configuration, unreadable stops the server unless
     * {@code --authentication-tolerate-lookup-failure}; then follows it with an informer.
     */
    private void lookUp(KubernetesClientFactory clients) {
        Optional<Map<String, String>> data;
        try {
            data = configMap.read();
        } catch (IOException e) {
            if (!properties.authenticationTolerateLookupFailure()) {
                throw new SecurityConfigurationException("unable to load " + configMap.describe() + " through " + clients.describe()
                        + ": " + e.getMessage() + " (give --requestheader-client-ca-file and --client-ca-file, "
                        + "or --authentication-tolerate-lookup-failure to start anyway)");
            }
            LOG.warn("Cannot read {}: {}; continuing without it (--authentication-tolerate-lookup-failure), retrying in the background. "
                    + "Until it is read, requests through the aggregator are not authenticated.", configMap.describe(), e.getMessage());
            configMap.start(this::onConfigMap);
            return;
        }
        if (data.isEmpty()) {
            LOG.warn("{} does not exist; is this a cluster with API aggregation? Watching for it.", configMap.describe());
        }
        try {
            fromConfigMap = AuthenticationConfigMap.parse(data.orElse(Map.of()));
        } catch (IllegalArgumentException e) {
            throw new SecurityConfigurationException(configMap.describe() + ": " + e.getMessage());
        }
        recompute();
        LOG.info("Authentication: {}", describe(current));
        configMap.start(this::onConfigMap);
    }

    private synchronized void onConfigMap(Optional<Map<String, String>> data) {
        AuthenticationConfigMap.Contents next;
        try {
            next = AuthenticationConfigMap.parse(data.orElse(Map.of()));
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a change of {}: {}; keeping the previous settings", configMap.describe(), e.getMessage());
            return;
        }
        if (!next.equals(fromConfigMap)) {
            fromConfigMap = next;
            recompute();
            LOG.info("{} changed; authentication now: {}", configMap.describe(), describe(current));
        }
    }

    private synchronized void reloadFiles() {
        boolean changed = false;
        for (CaFile f : new CaFile[] {clientCaFile, requestHeaderCaFile}) {
            if (f == null) {
                continue;
            }
            try {
                Optional<List<X509Certificate>> next = f.reloadIfChanged();
                if (next.isPresent()) {
                    if (f == clientCaFile) {
                        clientCaFromFile = next.get();
                    } else {
                        requestHeaderCaFromFile = next.get();
                    }
                    changed = true;
                    LOG.info("Reloaded {}", f.label());
                }
            } catch (RuntimeException e) {
                LOG.warn("Keeping the previous CA of {}: {}", f.label(), e.getMessage());
            }
        }
        if (changed) {
            recompute();
        }
    }

    private synchronized void recompute() {
        List<X509Certificate> clientCa = clientCaFromFile != null ? clientCaFromFile : fromConfigMap.clientCa();
        RequestHeaderConfig requestHeader = requestHeaderCaFromFile != null
                ? new RequestHeaderConfig(requestHeaderCaFromFile,
                        AuthenticationProperties.list(properties.requestheaderAllowedNames()),
                        AuthenticationProperties.list(properties.requestheaderUsernameHeaders()),
                        AuthenticationProperties.list(properties.requestheaderGroupHeaders()),
                        AuthenticationProperties.list(properties.requestheaderExtraHeadersPrefix()))
                : fromConfigMap.requestHeader();
        current = new TrustConfiguration(clientCa, requestHeader);
    }

    private static String describe(TrustConfiguration t) {
        String proxy = t.requestHeader() == null ? "no front proxy"
                : "front proxy CA with " + t.requestHeader().ca().size() + " certificate(s), allowed names " + t.requestHeader().allowedNames();
        return proxy + "; " + (t.clientCa().isEmpty() ? "no client CA" : "client CA with " + t.clientCa().size() + " certificate(s)");
    }

    @PreDestroy
    void stop() {
        if (configMap != null) {
            configMap.close();
        }
        if (filePoller != null) {
            filePoller.shutdownNow();
        }
    }
}
