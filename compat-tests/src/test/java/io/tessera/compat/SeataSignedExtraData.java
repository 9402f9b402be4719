package io.tessera.compat;

import org.apache.seata.core.auth.DefaultAuthSigner;

/**
 * RegisterTM extraData signed by the real client's signer (seata-all's DefaultAuthSigner), laid out as
 * TmNettyRemotingClient and RegisterTMRequest lay it out: for a raw connection that must look like a
 * second, correctly configured application in the same JVM (the real TM client is a singleton).
 */
final class SeataSignedExtraData {
    private SeataSignedExtraData() {
    }

    static String of(String accessKey, String secretKey, String group, String ip) {
        String timestamp = String.valueOf(System.currentTimeMillis());
        DefaultAuthSigner signer = new DefaultAuthSigner();
        String digest = signer.sign(group + "," + ip + "," + timestamp, secretKey);
        return "ak=" + accessKey + "\ndigest=" + digest + "\ntimestamp=" + timestamp + "\nauthVersion="
                + signer.getSignVersion() + "\nvgroup=" + group + "\nip=" + ip + "\n";
    }
}
