package io.tessera.raft.tx;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two AT flags Seata's TC reads from a branch's applicationData JSON: {@code autoCommit} (default
 * true; only a JSON false turns it off) and {@code skipCheckLock} (default false; only a JSON true turns it
 * on). Unparseable data means defaults, as in Seata (which logs and carries on). A key/value scan is
 * enough for the flat objects clients send; this module has no JSON library.
 */
record AppDataFlags(boolean autoCommit, boolean skipCheckLock) {
    private static final Pattern AUTO_COMMIT = Pattern.compile("\"autoCommit\"\\s*:\\s*(true|false)\\b");
    private static final Pattern SKIP_CHECK_LOCK = Pattern.compile("\"skipCheckLock\"\\s*:\\s*(true|false)\\b");

    static AppDataFlags of(String applicationData) {
        if (applicationData == null || applicationData.isBlank()) {
            return new AppDataFlags(true, false);
        }
        Matcher a = AUTO_COMMIT.matcher(applicationData);
        boolean autoCommit = !(a.find() && a.group(1).equals("false"));
        Matcher s = SKIP_CHECK_LOCK.matcher(applicationData);
        boolean skip = s.find() && s.group(1).equals("true");
        return new AppDataFlags(autoCommit, skip);
    }
}
