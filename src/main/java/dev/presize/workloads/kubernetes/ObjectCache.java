package dev.presize.workloads.kubernetes;

import io.kubernetes.client.common.KubernetesObject;

import java.util.List;

/** Read access to the cached objects of one kind: an informer's store, or a fixed set in tests. */
interface ObjectCache<T extends KubernetesObject> {

    List<T> list();

    /** The object of that namespace and name, or null. */
    T get(String namespace, String name);
}
