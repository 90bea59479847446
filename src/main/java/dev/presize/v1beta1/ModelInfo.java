package dev.presize.v1beta1;

/** Which model produced a recommendation, when it was trained, on how many samples, how sure. */
public record ModelInfo(String name, String trainedAt, long samples, double confidence) {
}
