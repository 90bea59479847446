package dev.presize.security.authorization;

import com.google.gson.JsonObject;
import dev.presize.api.RequestInfo;
import dev.presize.api.responses.WireJson;
import dev.presize.security.Json;
import dev.presize.security.KubernetesApiClient;
import dev.presize.security.KubernetesApiException;
import dev.presize.security.TtlCache;
import dev.presize.security.authentication.UserInfo;
import io.kubernetes.client.openapi.models.V1FieldSelectorAttributes;
import io.kubernetes.client.openapi.models.V1FieldSelectorRequirement;
import io.kubernetes.client.openapi.models.V1LabelSelectorAttributes;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1NonResourceAttributes;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1SubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewSpec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks the cluster with a {@code SubjectAccessReview}, as k8s.io/apiserver's webhook authorizer
 * (plugin/pkg/authorizer/webhook): the user's name, uid, groups and extra, and either resource
 * attributes (verb, group, version, resource, subresource, namespace, name, and the list's field
 * and label selectors as requirements, which clusters before 1.31 ignore) or non-resource ones
 * (path, verb). {@code allowed} → allow, {@code denied} → deny, neither → no opinion, both →
 * deny. Answers are cached under the review's spec, allowed ones for
 * {@code --authorization-webhook-cache-authorized-ttl}, the others for
 * {@code ...-unauthorized-ttl}, unless the requester-controlled attributes are large (as upstream's
 * {@code shouldCache}). A review that fails (unreachable, past {@code --authorization-webhook-timeout},
 * an error status, an unreadable answer) is an error, not cached, and the request is denied.
 */
@Singleton
public class SubjectAccessReviewAuthorizer implements Authorizer {

    static final String PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    /** upstream's {@code cache.NewLRUExpireCache(8192)} */
    static final int MAX_CACHED = 8192;
    /** upstream's {@code maxControlledAttrCacheSize} */
    static final int MAX_CACHEABLE_ATTRIBUTES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(SubjectAccessReviewAuthorizer.class);

    private final KubernetesApiClient api;
    private final WireJson json;
    private final Duration authorizedTtl;
    private final Duration unauthorizedTtl;
    private final Duration timeout;
    private final TtlCache<String, AuthorizationResult> cache;

    @Inject
    public SubjectAccessReviewAuthorizer(KubernetesApiClient api, WireJson json, Clock clock, AuthorizationProperties properties) {
        this(api, json, clock, properties.authorizationWebhookCacheAuthorizedTtl(), properties.authorizationWebhookCacheUnauthorizedTtl(),
                properties.authorizationWebhookTimeout());
    }

    SubjectAccessReviewAuthorizer(KubernetesApiClient api, WireJson json, Clock clock, Duration authorizedTtl, Duration unauthorizedTtl,
                                  Duration timeout) {
        this.api = api;
        this.json = json;
        this.authorizedTtl = authorizedTtl;
        this.unauthorizedTtl = unauthorizedTtl;
        this.timeout = timeout;
        this.cache = new TtlCache<>(clock, MAX_CACHED);
    }

    @Override
    public AuthorizationResult authorize(AuthorizationAttributes attributes) {
        V1SubjectAccessReview review = new V1SubjectAccessReview().apiVersion("authorization.k8s.io/v1").kind("SubjectAccessReview")
                .spec(spec(attributes));
        String key = json.encodeToString(review.getSpec());
        Optional<AuthorizationResult> cached = cache.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        AuthorizationResult result;
        try {
            result = decide(Json.object(api.post(PATH, json.encode(review), timeout).body()));
        } catch (KubernetesApiException | IllegalArgumentException e) {
            LOG.warn("SubjectAccessReview failed, the request is denied: {}", e.getMessage());
            return AuthorizationResult.error("SubjectAccessReview failed: " + e.getMessage());
        }
        if (shouldCache(attributes.request())) {
            cache.put(key, result, result.allowed() ? authorizedTtl : unauthorizedTtl);
        }
        return result;
    }

    static V1SubjectAccessReviewSpec spec(AuthorizationAttributes a) {
        UserInfo user = a.user();
        V1SubjectAccessReviewSpec spec = new V1SubjectAccessReviewSpec().user(user.name()).groups(user.groups());
        if (!user.uid().isEmpty()) {
            spec.uid(user.uid());
        }
        if (!user.extra().isEmpty()) {
            spec.extra(user.extra());
        }
        RequestInfo r = a.request();
        if (r.resourceRequest()) {
            V1ResourceAttributes ra = new V1ResourceAttributes().namespace(r.namespace()).verb(r.verb()).group(r.apiGroup())
                    .version(r.apiVersion()).resource(r.resource()).subresource(r.subresource()).name(r.name());
            if (!a.fieldSelector().isEmpty()) {
                V1FieldSelectorAttributes f = new V1FieldSelectorAttributes();
                a.fieldSelector().forEach(s -> f.addRequirementsItem(new V1FieldSelectorRequirement().key(s.key()).operator(s.operator()).values(s.values())));
                ra.fieldSelector(f);
            }
            if (!a.labelSelector().isEmpty()) {
                V1LabelSelectorAttributes l = new V1LabelSelectorAttributes();
                a.labelSelector().forEach(s -> l.addRequirementsItem(new V1LabelSelectorRequirement().key(s.key()).operator(s.operator()).values(s.values())));
                ra.labelSelector(l);
            }
            spec.resourceAttributes(ra);
        } else {
            spec.nonResourceAttributes(new V1NonResourceAttributes().path(r.path()).verb(r.verb()));
        }
        return spec;
    }

    private static AuthorizationResult decide(JsonObject answer) {
        String kind = Json.string(answer, "kind");
        if (!kind.isEmpty() && !kind.equals("SubjectAccessReview")) {
            throw new IllegalArgumentException("the answer is a " + kind + ", not a SubjectAccessReview");
        }
        JsonObject status = Json.object(answer, "status");
        boolean allowed = Json.bool(status, "allowed");
        boolean denied = Json.bool(status, "denied");
        String reason = Json.string(status, "reason");
        if (allowed && denied) {
            return new AuthorizationResult(Decision.DENY, reason, "webhook subject access review returned both allow and deny response");
        }
        if (denied) {
            return new AuthorizationResult(Decision.DENY, reason, null);
        }
        if (allowed) {
            return AuthorizationResult.allow(reason);
        }
        return new AuthorizationResult(Decision.NO_OPINION, reason, null);
    }

    private static boolean shouldCache(RequestInfo r) {
        long size = (long) r.namespace().length() + r.verb().length() + r.apiGroup().length() + r.apiVersion().length()
                + r.resource().length() + r.subresource().length() + r.name().length() + r.path().length();
        return size < MAX_CACHEABLE_ATTRIBUTES;
    }
}
