package org.dsrflow.cluster;

import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a route's consumer only while this instance leads the route's role (see {@link Leadership}):
 * on every other instance the route is started but its consumer is suspended, ready to take over.
 */
public class LeaderRoutePolicy extends RoutePolicySupport implements Leadership.Listener {
    private static final Logger log = LoggerFactory.getLogger(LeaderRoutePolicy.class);
    private final Leadership leadership;
    private final String role;
    private volatile Route route;

    public LeaderRoutePolicy(Leadership leadership, String role) {
        this.leadership = leadership;
        this.role = role;
    }

    @Override
    public void onStart(Route route) {
        this.route = route;
        if (!leadership.isLeader(role)) {
            pause();
        }
        leadership.join(role, this);
    }

    @Override
    public void onStop(Route route) {
        leadership.leave(role);
    }

    @Override
    public void elected(String role) {
        Route r = route;
        if (r != null) {
            try {
                resumeOrStartConsumer(r.getConsumer());
                log.info("Route {} runs here now (leader of {})", r.getRouteId(), role);
            } catch (Exception e) {
                handleException(e);
            }
        }
    }

    @Override
    public void deposed(String role) {
        pause();
    }

    private void pause() {
        Route r = route;
        if (r != null) {
            try {
                suspendOrStopConsumer(r.getConsumer());
            } catch (Exception e) {
                handleException(e);
            }
        }
    }
}
