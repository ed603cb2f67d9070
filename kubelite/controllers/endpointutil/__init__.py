"""What the Endpoints and EndpointSlice controllers share (upstream's `endpointslice/util`).

- `pods`: pure rules for which pods back a Service and with which addresses and ports (EP-2..EP-5);
- `membership`: Service selectors by namespace and which Services a pod event concerns;
- `index`: the pods-by-label index a sync reads its Service's pods from;
- `triggertime`: the last-change-trigger-time tracker (EP-8).
"""
