//! The values a string type of the built-in kinds may take, where kube publishes them as
//! an OpenAPI `enum` (sorted, as kube sorts them).

/// The allowed values of the Go string type `go` (`v1.Protocol`), if it is an enum.
pub fn of(go: &str) -> Option<&'static [&'static str]> {
    Some(match go {
        "v1.Protocol" => &["SCTP", "TCP", "UDP"],
        "v1.PullPolicy" => &["Always", "IfNotPresent", "Never"],
        "v1.RestartPolicy" => &["Always", "Never", "OnFailure"],
        "v1.DNSPolicy" => &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
        "v1.TerminationMessagePolicy" => &["FallbackToLogsOnError", "File"],
        "v1.ServiceType" => &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        "v1.ServiceAffinity" => &["ClientIP", "None"],
        "v1.ServiceExternalTrafficPolicy" | "v1.ServiceInternalTrafficPolicy" => {
            &["Cluster", "Local"]
        }
        "v1.IPFamilyPolicy" => &["PreferDualStack", "RequireDualStack", "SingleStack"],
        "v1.IPFamily" => &["", "IPv4", "IPv6"],
        "v1.TolerationOperator" => &["Equal", "Exists"],
        "v1.TaintEffect" => &["NoExecute", "NoSchedule", "PreferNoSchedule"],
        "v1.DeploymentStrategyType" => &["Recreate", "RollingUpdate"],
        "v1.DaemonSetUpdateStrategyType" => &["OnDelete", "RollingUpdate"],
        "v1.CompletionMode" => &["Indexed", "NonIndexed"],
        "v1.ConcurrencyPolicy" => &["Allow", "Forbid", "Replace"],
        "v1.PodReplacementPolicy" => &["Failed", "TerminatingOrFailed"],
        "v1.MountPropagationMode" => &["Bidirectional", "HostToContainer", "None"],
        "v1.PreemptionPolicy" => &["Never", "PreemptLowerPriority"],
        "v1.AddressType" => &["FQDN", "IPv4", "IPv6"],
        "v1.PodPhase" => &["Failed", "Pending", "Running", "Succeeded", "Unknown"],
        "v1.PodQOSClass" => &["BestEffort", "Burstable", "Guaranteed"],
        _ => return None,
    })
}
