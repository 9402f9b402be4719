package io.tessera.admin;

import picocli.CommandLine.Option;

/**
 * The admin role's credentials for commands that call a live cluster. Flags win; otherwise the environment
 * ({@code TESSERA_ADMIN_USERNAME} / {@code TESSERA_ADMIN_PASSWORD}, which scripts/backup.sh and
 * scripts/restore.sh take from {@code <data-root>/credentials.env}). Prefer the environment: command-line
 * arguments are visible to other users of the machine.
 */
final class AdminLogin {
    static final String USERNAME_ENV = "TESSERA_ADMIN_USERNAME";
    static final String PASSWORD_ENV = "TESSERA_ADMIN_PASSWORD";

    @Option(names = "--username", paramLabel = "USER",
            description = "admin user (default: env " + USERNAME_ENV + ")")
    String username;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "admin password (default: env " + PASSWORD_ENV + ")")
    String password;

    String username() {
        return username(username, "--username");
    }

    String password() {
        return password(password, "--password");
    }

    /** {@code flagValue} if given, else the environment; refused when neither is set. */
    static String username(String flagValue, String flag) {
        return require(flagValue != null ? flagValue : System.getenv(USERNAME_ENV), flag, USERNAME_ENV);
    }

    static String password(String flagValue, String flag) {
        return require(flagValue != null ? flagValue : System.getenv(PASSWORD_ENV), flag, PASSWORD_ENV);
    }

    private static String require(String value, String flag, String env) {
        if (value == null || value.isEmpty()) {
            throw new AdminException("the admin role's credentials are required: " + flag + " or " + env
                    + " (scripts/cluster.sh keeps them in <data-root>/credentials.env)");
        }
        return value;
    }
}
