//! Vigil's core: everything that does not need a browser. Wire models of the Graph security
//! API, OData query building, the typed client (generic over a transport), and the analytics
//! behind the correlation, Secure Score and eDiscovery views.
