package org.dsrflow.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * Stops the test application's own routes while a dsrflow process of its own works on the same
 * servers (the drills), so that the process does all the work; and starts them again afterwards.
 */
public final class OwnRoutes {
    private final CamelContext camel;
    private final List<String> stopped = new ArrayList<>();

    private OwnRoutes(CamelContext camel) {
        this.camel = camel;
    }

    public static OwnRoutes stop(CamelContext camel) throws Exception {
        OwnRoutes routes = new OwnRoutes(camel);
        for (Route route : camel.getRoutes()) {
            if (camel.getRouteController().getRouteStatus(route.getRouteId()).isStarted()) {
                routes.stopped.add(route.getRouteId());
            }
        }
        for (String id : routes.stopped) {
            camel.getRouteController().stopRoute(id, 10, TimeUnit.SECONDS);
        }
        return routes;
    }

    public void startAgain() throws Exception {
        for (String id : stopped) {
            camel.getRouteController().startRoute(id);
        }
    }
}
