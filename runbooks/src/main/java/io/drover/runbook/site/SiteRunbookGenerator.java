package io.drover.runbook.site;

import io.drover.core.config.ConfigBinder;
import io.drover.core.config.ServiceConfig;
import io.drover.core.error.DroverException;
import io.drover.runbook.engine.RunbookErrors;
import io.drover.runbook.model.ParamType;
import io.drover.runbook.parse.ParamValues;
import io.drover.runbook.parse.RunbookGenerator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes {@code site-failover} and {@code site-failback} for one service from {@code services:}:
 * the service and what it depends on, dependencies first; per service its databases
 * ({@code replicated-by}) are failed over one after the other, then its traffic switches
 * ({@code traffic}) are moved in the order listed. The site to move to is named by a member: each
 * database's member and each traffic switch's target on one site carry the same name (e.g. {@code dr1}).
 *
 * <p>A database or traffic switch that several services list is moved once, with the first of them
 * in dependency order.
 */
public final class SiteRunbookGenerator implements RunbookGenerator {
    public static final String FAILOVER = "site-failover";
    public static final String FAILBACK = "site-failback";

    private final Map<String, ServiceConfig> services;

    /** @param services {@code services:} of drover.yaml, the business impact analysis */
    public SiteRunbookGenerator(Map<String, ServiceConfig> services) {
        this.services = Map.copyOf(services);
    }

    @Override
    public Map<String, String> runbooks() {
        Map<String, String> runbooks = new LinkedHashMap<>();
        runbooks.put(FAILOVER, "Move a service and what it depends on to another site, dependencies first:"
                + " databases, then traffic switches (--param service=NAME --param to=MEMBER [--param planned=true]).");
        runbooks.put(FAILBACK, "Return a service and what it depends on to its original site after a site failover,"
                + " losing no write (--param service=NAME --param from=MEMBER --param to=MEMBER).");
        return runbooks;
    }

    @Override
    public String origin() {
        return "generated from services: in drover.yaml";
    }

    @Override
    public Generated generate(String name, Map<String, String> params) {
        if (!runbooks().containsKey(name)) {
            throw new IllegalArgumentException("not a site runbook: " + name);
        }
        String service = service(name, params);
        List<ServiceMove> moves = moves(ServiceOrder.dependenciesFirst(service, services));
        if (moves.stream().allMatch(ServiceMove::isEmpty)) {
            throw new DroverException(RunbookErrors.PARAMETER_INVALID, "service '" + service + "' has nothing to move to"
                    + " another site: neither it nor what it depends on lists replicated-by: databases or traffic: switches",
                    "list them under services." + service + " in drover.yaml", List.of(), null);
        }
        String text = name.equals(FAILOVER) ? failover(service, moves, planned(params)) : failback(service, moves);
        return new Generated(name, "generated from drover.yaml services." + service, text);
    }

    // ---- what moves -----------------------------------------------------------------------------

    /**
     * One service's share of the move: the databases and traffic switches no service before it in
     * dependency order moves already, and those it shares with such a service.
     */
    private record ServiceMove(String service, List<String> databases, List<String> switches, List<String> movedBefore) {
        boolean isEmpty() {
            return databases.isEmpty() && switches.isEmpty();
        }

        String describe() {
            List<String> parts = new ArrayList<>();
            if (!databases.isEmpty()) {
                parts.add("databases " + String.join(", ", databases));
            }
            if (!switches.isEmpty()) {
                parts.add("traffic " + String.join(", ", switches));
            }
            if (!movedBefore.isEmpty()) {
                parts.add(String.join(", ", movedBefore) + " moved already");
            }
            return service + " (" + (parts.isEmpty() ? "nothing to move" : String.join("; ", parts)) + ")";
        }
    }

    private List<ServiceMove> moves(List<String> order) {
        Set<String> moved = new HashSet<>();
        List<ServiceMove> moves = new ArrayList<>();
        for (String service : order) {
            ServiceConfig config = services.get(service);
            List<String> before = new ArrayList<>();
            List<String> databases = firstTime(config.replicatedBy(), moved, before);
            List<String> switches = firstTime(config.traffic(), moved, before);
            moves.add(new ServiceMove(service, databases, switches, before));
        }
        return moves;
    }

    private static List<String> firstTime(List<String> names, Set<String> moved, List<String> movedBefore) {
        List<String> first = new ArrayList<>();
        for (String name : names) {
            if (moved.add(name)) {
                first.add(name);
            } else {
                movedBefore.add(name);
            }
        }
        return first;
    }

    private String service(String name, Map<String, String> params) {
        String movable = services.keySet().stream().sorted().collect(Collectors.joining(", "));
        String service = params.get("service");
        if (service == null || service.isBlank()) {
            throw new DroverException(RunbookErrors.PARAMETER_INVALID, name + " is generated from services: in drover.yaml"
                    + " for one service: --param service=NAME is required",
                    services.isEmpty() ? "define services: (with replicated-by: and traffic:) in drover.yaml"
                            : "services: " + movable, List.of(), null);
        }
        if (!services.containsKey(service)) {
            throw new DroverException(RunbookErrors.PARAMETER_INVALID, "--param service: no service '" + service
                    + "' under services: in drover.yaml" + ConfigBinder.suggestion(service, services.keySet())
                    .map(s -> " (did you mean '" + s + "'?)").orElse(""),
                    services.isEmpty() ? "define services: in drover.yaml" : "services: " + movable, List.of(), null);
        }
        return service;
    }

    private static boolean planned(Map<String, String> params) {
        String value = params.getOrDefault("planned", "false");
        Optional<String> problem = ParamValues.check(ParamType.BOOL, value, Optional.empty());
        if (problem.isPresent()) {
            throw new DroverException(RunbookErrors.PARAMETER_INVALID, "--param planned: " + problem.get(),
                    "planned=true for a planned move (no write lost), false when the old site failed", List.of(), null);
        }
        return ParamValues.normalize(ParamType.BOOL, value).equals("true");
    }

    // ---- site-failover --------------------------------------------------------------------------

    private static String failover(String service, List<ServiceMove> moves, boolean planned) {
        RunbookText text = new RunbookText(FAILOVER);
        text.description((planned ? "Planned" : "Unplanned") + " site failover of " + service + " and what it depends"
                + " on, dependencies first: " + moves.stream().map(ServiceMove::describe).collect(Collectors.joining(", then "))
                + ". Per database: " + (planned ? "the target catches up while writes go on, every other primary is fenced,"
                + " the target replays everything and is promoted (no write lost)"
                : "every other primary that answers is fenced (one that does not counts as down and must stay down), the"
                + " target catches up when the old primary answered, and is promoted")
                + "; then the service's traffic switches in the order listed, each checked before the next.");
        text.parameter("service", "string", Optional.of(service), "the service moved with what it depends on; this"
                + " runbook was generated for it");
        text.parameter("planned", "bool", Optional.of(Boolean.toString(planned)), "a planned move that loses no write"
                + " (true) or the old site failed (false); this runbook was generated for it");
        text.parameter("to", "string", Optional.empty(), "the site to move to: the member of every database and the"
                + " target of every traffic switch with this name");
        text.parameter("catch-up-timeout", "duration", Optional.of(planned ? "60s" : "30s"),
                "how long a target member may take to replay");
        if (planned) {
            text.parameter("max-lag", "string", Optional.of("64MiB"), "refuse to fence while a target member is"
                    + " further behind than this");
        }
        text.steps();
        List<String> outcomes = new ArrayList<>();
        List<String> switched = new ArrayList<>();
        for (ServiceMove move : moves) {
            List<String> after = new ArrayList<>();
            for (String database : move.databases()) {
                String who = move.service() + ": ";
                String db = RunbookText.quote(database);
                text.step(text.id(database, "before"), who + "the state of every member of " + database + " before anything"
                        + " changes", "database-status", Map.of("database", db), Optional.empty());
                if (planned) {
                    text.step(text.id(database, "sync"), who + "the target catches up while the primary still takes writes,"
                            + " so the fenced window stays short; refused when it is further behind than max-lag",
                            "database-wait-replay", with("database", db, "standby", "${params.to}",
                                    "timeout", "${params.catch-up-timeout}", "max-lag", "${params.max-lag}"), Optional.empty());
                }
                String fence = text.id(database, "fence");
                text.step(fence, who + (planned ? "no more writes on any primary but the target"
                        : "fence every other primary that answers; one that does not counts as down"), "database-fence",
                        with("database", db, "except", "${params.to}", "unreachable-is-down", Boolean.toString(!planned)),
                        Optional.empty());
                text.step(text.id(database, "catch-up"), who + "the target replays everything the fenced primary wrote"
                        + (planned ? "" : "; skipped when the old primary was down"), "database-wait-replay",
                        with("database", db, "standby", "${params.to}", "timeout", "${params.catch-up-timeout}"),
                        planned ? Optional.empty() : Optional.of("steps." + fence + ".outputs.down == \"\""));
                String promote = text.id(database, "promote");
                text.step(promote, who + "the target becomes the primary of " + database, "database-promote",
                        with("database", db, "member", "${params.to}"), Optional.empty());
                // brackets, because either list may be empty and the template cannot leave it out
                outcomes.add(database + " (fenced [${steps." + fence + ".outputs.fenced}], down [${steps." + fence
                        + ".outputs.down}], data loss: ${steps." + promote + ".outputs.data-loss})");
                after.add(database);
            }
            traffic(text, move, switched);
            after(text, move, after);
        }
        text.report(planned ? "info" : "warning", "site failover of " + service + " to ${params.to}",
                (outcomes.isEmpty() ? "" : "${params.to} is the primary of " + String.join(", ", outcomes) + ". ")
                        + (switched.isEmpty() ? "" : "Traffic moved to ${params.to}, in order: " + String.join(", ", switched)
                        + ". ") + (planned ? "" : "Members counted as down must stay down until they are rebuilt. ")
                        + "Fail back with site-failback once the old site is repaired.");
        return text.toString();
    }

    // ---- site-failback --------------------------------------------------------------------------

    private static String failback(String service, List<ServiceMove> moves) {
        RunbookText text = new RunbookText(FAILBACK);
        text.description("Site failback of " + service + " and what it depends on, losing no write, dependencies first: "
                + moves.stream().map(ServiceMove::describe).collect(Collectors.joining(", then ")) + ". Per database:"
                + " rebuild the original member as a standby of the current primary, let it catch up while writes go on,"
                + " fence the current primary, let the original member replay everything, promote it; then the service's"
                + " traffic switches in the order listed; then the other member is rebuilt as a standby again.");
        text.parameter("service", "string", Optional.of(service), "the service returned with what it depends on; this"
                + " runbook was generated for it");
        text.parameter("from", "string", Optional.empty(), "the site that is primary now: the member of every database"
                + " and the target of every traffic switch with this name");
        text.parameter("to", "string", Optional.empty(), "the original site to return to, named the same way");
        text.parameter("catch-up-timeout", "duration", Optional.of("60s"), "how long the original members may take to replay");
        text.steps();
        List<String> returned = new ArrayList<>();
        List<String> switched = new ArrayList<>();
        for (ServiceMove move : moves) {
            List<String> rejoin = new ArrayList<>();
            for (String database : move.databases()) {
                String who = move.service() + ": ";
                String db = RunbookText.quote(database);
                text.step(text.id(database, "before"), who + "the state of every member of " + database + " before anything"
                        + " changes", "database-status", Map.of("database", db), Optional.empty());
                text.step(text.id(database, "rebuild"), who + "the original member becomes a standby of the current"
                        + " primary (pg_rewind or a new base backup)", "database-rejoin",
                        with("database", db, "member", "${params.to}", "primary", "${params.from}"), Optional.empty());
                text.step(text.id(database, "sync"), who + "catch up while the current primary still takes writes, so"
                        + " the fenced window stays short", "database-wait-replay",
                        with("database", db, "standby", "${params.to}", "timeout", "${params.catch-up-timeout}"),
                        Optional.empty());
                text.step(text.id(database, "fence"), who + "no more writes on the current primary", "database-fence",
                        with("database", db, "member", "${params.from}"), Optional.empty());
                text.step(text.id(database, "catch-up"), who + "the original member replays everything the fenced"
                        + " primary wrote", "database-wait-replay",
                        with("database", db, "standby", "${params.to}", "timeout", "${params.catch-up-timeout}"),
                        Optional.empty());
                text.step(text.id(database, "promote"), who + "the original member becomes the primary of " + database,
                        "database-promote", with("database", db, "member", "${params.to}"), Optional.empty());
                rejoin.add(database);
                returned.add(database);
            }
            traffic(text, move, switched);
            // The other member is rebuilt only once the traffic is back: until then it is the way back.
            for (String database : rejoin) {
                text.step(text.id(database, "rejoin"), move.service() + ": the other member replicates from the original"
                        + " one again", "database-rejoin", with("database", RunbookText.quote(database), "member",
                        "${params.from}", "primary", "${params.to}"), Optional.empty());
            }
            after(text, move, rejoin);
        }
        text.report("info", "site failback of " + service + " to ${params.to}",
                (returned.isEmpty() ? "" : "${params.to} is the primary of " + String.join(", ", returned)
                        + " again, and ${params.from} replicates from it. ")
                        + (switched.isEmpty() ? "" : "Traffic moved back to ${params.to}, in order: " + String.join(", ", switched)
                        + "."));
        return text.toString();
    }

    /** A service's traffic switches to the target, in the order listed: each switch checks it took effect. */
    private static void traffic(RunbookText text, ServiceMove move, List<String> switched) {
        for (String traffic : move.switches()) {
            text.step(text.id(traffic, "traffic"), move.service() + ": only the target takes the traffic of " + traffic,
                    "traffic-switch", with("traffic", RunbookText.quote(traffic), "to", "${params.to}"), Optional.empty());
            switched.add(traffic);
        }
    }

    private static void after(RunbookText text, ServiceMove move, List<String> databases) {
        for (String database : databases) {
            text.step(text.id(database, "after"), move.service() + ": the state of every member of " + database
                    + " afterwards", "database-status", Map.of("database", RunbookText.quote(database)), Optional.empty());
        }
    }

    /** A step's {@code with:}, in the order given; values that are not already quoted are quoted. */
    private static Map<String, String> with(String... keysAndValues) {
        Map<String, String> with = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String value = keysAndValues[i + 1];
            with.put(keysAndValues[i], value.startsWith("\"") ? value : RunbookText.quote(value));
        }
        return with;
    }
}
