package io.drover.connector.nginx;

import io.drover.core.spi.ConfigProblem;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.TrafficFactory;
import io.drover.core.spi.TrafficSwitch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code type: nginx} under {@code traffic:}. */
public final class NginxTrafficFactory implements TrafficFactory<NginxConfig> {
    /** An upstream name as nginx's config accepts it unquoted. */
    private static final Pattern UPSTREAM = Pattern.compile("[A-Za-z0-9_.-]+");
    /** {@code host:port} with a DNS name, an IPv4 address or a bracketed IPv6 address. */
    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+):(\\d{1,5})");
    /** Member names end up in the include's comments, where a line break would end the comment. */
    private static final Pattern MEMBER = Pattern.compile("[^\\p{Cntrl}#]+");

    @Override
    public String type() {
        return "nginx";
    }

    @Override
    public Class<NginxConfig> configType() {
        return NginxConfig.class;
    }

    @Override
    public List<ConfigProblem> validate(NginxConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (!UPSTREAM.matcher(config.upstream()).matches()) {
            problems.add(new ConfigProblem("upstream", "upstream must be an nginx upstream name (letters, digits, _ . -), got '"
                    + config.upstream() + "'"));
        }
        Path include = config.include();
        if (!include.isAbsolute()) {
            problems.add(new ConfigProblem("include", "include must be an absolute path, got " + include));
        } else if (include.getParent() == null || !Files.isDirectory(include.getParent())) {
            problems.add(new ConfigProblem("include", "the directory of include " + include
                    + " does not exist; create it (drover writes the file there, nginx.conf includes it in the upstream block)"));
        }
        if (config.servers().isEmpty()) {
            problems.add(new ConfigProblem("servers",
                    "servers must name at least one member → address, e.g. { dc1: \"10.0.0.1:8080\", dr1: \"10.0.1.1:8080\" }"));
        }
        Map<String, String> memberOfAddress = new HashMap<>();
        for (Map.Entry<String, String> e : config.servers().entrySet()) {
            if (!MEMBER.matcher(e.getKey()).matches()) {
                problems.add(new ConfigProblem("servers", "member name '" + e.getKey() + "' must not hold control characters or #"));
            }
            Matcher address = ADDRESS.matcher(e.getValue());
            if (!address.matches() || Integer.parseInt(address.group(2)) < 1 || Integer.parseInt(address.group(2)) > 65535) {
                problems.add(new ConfigProblem("servers", "address of " + e.getKey()
                        + " must be host:port (port 1-65535, IPv6 in brackets), got '" + e.getValue() + "'"));
            } else {
                String other = memberOfAddress.putIfAbsent(e.getValue(), e.getKey());
                if (other != null) {
                    problems.add(new ConfigProblem("servers", "address " + e.getValue() + " is named by " + other + " and " + e.getKey()
                            + "; each member needs its own server"));
                }
            }
        }
        if (!config.nginx().isAbsolute()) {
            problems.add(new ConfigProblem("nginx", "nginx must be an absolute path to the nginx binary, got " + config.nginx()));
        }
        config.config().filter(c -> !c.isAbsolute()).ifPresent(c ->
                problems.add(new ConfigProblem("config", "config must be an absolute path to nginx's main config, got " + c)));
        if (config.timeout().isNegative() || config.timeout().isZero()) {
            problems.add(new ConfigProblem("timeout", "timeout must be positive, got " + config.timeout()));
        }
        return problems;
    }

    @Override
    public TrafficSwitch create(NginxConfig config, ConnectorContext context) {
        return new NginxSwitch(config, context.clock());
    }
}
