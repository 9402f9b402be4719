package io.tessera.coordinator.testing;

import io.tessera.coordinator.clientauth.SeataSignature;

/** Registration extraData as seata-all 2.x writes it (TmNettyRemotingClient + RegisterTMRequest), signed now. */
public final class Signatures {
    private Signatures() {
    }

    public static String extraData(String accessKey, String secretKey, String group) {
        return extraData(accessKey, secretKey, group, "127.0.0.1", System.currentTimeMillis());
    }

    public static String extraData(String accessKey, String secretKey, String group, String ip, long timestampMillis) {
        return "ak=" + accessKey + "\ndigest=" + SeataSignature.digest(group, ip, timestampMillis, secretKey)
                + "\ntimestamp=" + timestampMillis + "\nauthVersion=V4\nvgroup=" + group + "\nip=" + ip + "\n";
    }
}
