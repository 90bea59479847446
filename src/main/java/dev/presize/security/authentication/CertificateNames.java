package dev.presize.security.authentication;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Subject fields as Go's {@code pkix.Name} reads them. */
final class CertificateNames {

    private CertificateNames() {
    }

    /** The subject's common name; the last one if there are several, as Go's {@code FillFromRDNSequence}. */
    static String commonName(X509Certificate cert) {
        List<String> cns = values(cert, BCStyle.CN);
        return cns.isEmpty() ? "" : cns.get(cns.size() - 1);
    }

    /** All organization (O) values, in order: the groups of a client-certificate user. */
    static List<String> organizations(X509Certificate cert) {
        return values(cert, BCStyle.O);
    }

    private static List<String> values(X509Certificate cert, ASN1ObjectIdentifier type) {
        X500Name name = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        List<String> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (var atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(type)) {
                    out.add(IETFUtils.valueToString(atv.getValue()));
                }
            }
        }
        return out;
    }
}
