#!/usr/bin/env python3
"""Writes src/server/protobuf/tables.rs: the wire schema of the kinds `kubelite serve`
stores, read from the protobuf file descriptors that a real kubectl binary embeds (gzipped
FileDescriptorProto blobs), plus what the descriptors cannot say (how Go's JSON writes a
field: pointer, omitempty or always, inline) from the override lists below.

usage: tools/protobuf_schema.py /path/to/kubectl.1.33 > src/server/protobuf/tables.rs
"""
import re
import sys
import zlib


def varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def fields(b):
    i, out = 0, []
    while i < len(b):
        k, i = varint(b, i)
        num, wt = k >> 3, k & 7
        if wt == 0:
            v, i = varint(b, i)
        elif wt == 2:
            n, i = varint(b, i)
            v, i = b[i:i + n], i + n
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % wt)
        out.append((num, v))
    return out


def first(fs, n, default=b""):
    return next((v for f, v in fs if f == n), default)


MESSAGES = {}  # ".pkg.Name" -> (is_map_entry, [(number, name, label, type, type_name)])


def load_message(d, prefix):
    fs = fields(d)
    full = prefix + "." + first(fs, 1).decode()
    entry = any(f == 7 and (7, 1) in fields(v) for f, v in fs)
    flds = []
    for f, v in fs:
        if f == 2:
            ff = fields(v)
            flds.append((first(ff, 3, 0), first(ff, 1).decode(), first(ff, 4, 1),
                         first(ff, 5, 0), first(ff, 6).decode()))
    MESSAGES[full] = (entry, flds)
    for f, v in fs:
        if f == 3:
            load_message(v, full)


def load(binary):
    data = open(binary, "rb").read()
    for m in re.finditer(rb"\x1f\x8b\x08\x00\x00\x00\x00\x00", data):
        try:
            d = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[m.start():m.start() + 1 << 20])
        except zlib.error:
            continue
        if b"generated.proto" not in d[:200]:
            continue
        fs = fields(d)
        pkg = "." + first(fs, 2).decode()
        for f, v in fs:
            if f == 4:
                load_message(v, pkg)


CORE = ".k8s.io.api.core.v1."
APPS = ".k8s.io.api.apps.v1."
META = ".k8s.io.apimachinery.pkg.apis.meta.v1."
ROOTS = [(CORE + k, "v1", k) for k in
         "ComponentStatus ConfigMap Endpoints Event LimitRange Namespace Node Pod ResourceQuota Secret "
         "ServiceAccount Service".split()]
ROOTS += [(APPS + k, "apps/v1", k) for k in "DaemonSet Deployment ReplicaSet".split()]
ROOTS += [(CORE + k, "v1", k) for k in "PersistentVolumeClaim PersistentVolume".split()]
ROOTS += [(APPS + k, "apps/v1", k) for k in "ControllerRevision StatefulSet".split()]
ROOTS += [(".k8s.io.api.storage.v1." + k, "storage.k8s.io/v1", k) for k in
          "CSIDriver CSINode CSIStorageCapacity StorageClass VolumeAttachment".split()]
ROOTS += [(".k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler", "autoscaling/v2",
           "HorizontalPodAutoscaler"),
          (".k8s.io.api.autoscaling.v1.HorizontalPodAutoscaler", "autoscaling/v1",
           "HorizontalPodAutoscaler")]
ROOTS += [(".k8s.io.api.coordination.v1.Lease", "coordination.k8s.io/v1", "Lease"),
          (".k8s.io.api.discovery.v1.EndpointSlice", "discovery.k8s.io/v1", "EndpointSlice")]
ROOTS += [(".k8s.io.api.rbac.v1." + k, "rbac.authorization.k8s.io/v1", k) for k in
          "ClusterRoleBinding ClusterRole RoleBinding Role".split()]
ROOTS += [(".k8s.io.api.batch.v1." + k, "batch/v1", k) for k in "CronJob Job".split()]
ROOTS += [(CORE + k, "v1", k) for k in "PodTemplate ReplicationController".split()]
ROOTS += [(".k8s.io.api.networking.v1." + k, "networking.k8s.io/v1", k)
          for k in "Ingress IngressClass NetworkPolicy".split()]
ROOTS += [(".k8s.io.api.node.v1.RuntimeClass", "node.k8s.io/v1", "RuntimeClass"),
          (".k8s.io.api.policy.v1.PodDisruptionBudget", "policy/v1", "PodDisruptionBudget"),
          (".k8s.io.api.scheduling.v1.PriorityClass", "scheduling.k8s.io/v1", "PriorityClass")]
ROOTS += [(".k8s.io.api.events.v1.Event", "events.k8s.io/v1", "Event")]
ROOTS += [(".k8s.io.api.authentication.v1." + k, "authentication.k8s.io/v1", k) for k in
          "TokenRequest TokenReview".split()]
ROOTS += [(".k8s.io.api.certificates.v1.CertificateSigningRequest", "certificates.k8s.io/v1",
           "CertificateSigningRequest")]
ROOTS += [(".k8s.io.api.admissionregistration.v1." + k, "admissionregistration.k8s.io/v1", k)
          for k in "MutatingWebhookConfiguration ValidatingWebhookConfiguration "
                   "ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding".split()]
ROOTS += [(".k8s.io.api.flowcontrol.v1." + k, "flowcontrol.apiserver.k8s.io/v1", k)
          for k in "FlowSchema PriorityLevelConfiguration".split()]

# Messages whose JSON is not an object of their fields.
SPECIAL = {
    META + "Time": "Time",
    META + "MicroTime": "MicroTime",
    META + "FieldsV1": "FieldsV1",
    META + "Duration": "Duration",
    ".k8s.io.apimachinery.pkg.api.resource.Quantity": "Quantity",
    ".k8s.io.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    ".k8s.io.apimachinery.pkg.runtime.RawExtension": "RawExtension",
}

SCALAR = {9: "Str", 5: "Int", 3: "Int", 13: "Int", 4: "Int", 8: "Bool", 12: "Bytes"}

# Go pointer scalars: written to the wire only when set, and then kept in JSON even when
# zero (`replicas: 0`).
PTR = """
admissionregistration.ValidatingWebhook.failurePolicy admissionregistration.ValidatingWebhook.matchPolicy
admissionregistration.ValidatingWebhook.namespaceSelector admissionregistration.ValidatingWebhook.objectSelector
admissionregistration.ValidatingWebhook.sideEffects admissionregistration.ValidatingWebhook.timeoutSeconds
admissionregistration.MutatingWebhook.failurePolicy admissionregistration.MutatingWebhook.matchPolicy
admissionregistration.MutatingWebhook.namespaceSelector admissionregistration.MutatingWebhook.objectSelector
admissionregistration.MutatingWebhook.sideEffects admissionregistration.MutatingWebhook.timeoutSeconds
admissionregistration.MutatingWebhook.reinvocationPolicy admissionregistration.WebhookClientConfig.url
admissionregistration.WebhookClientConfig.service admissionregistration.ServiceReference.path
admissionregistration.ServiceReference.port admissionregistration.Rule.scope
admissionregistration.ValidatingAdmissionPolicySpec.paramKind
admissionregistration.ValidatingAdmissionPolicySpec.matchConstraints
admissionregistration.ValidatingAdmissionPolicySpec.failurePolicy
admissionregistration.MatchResources.namespaceSelector admissionregistration.MatchResources.objectSelector
admissionregistration.MatchResources.matchPolicy admissionregistration.Validation.reason
admissionregistration.ValidatingAdmissionPolicyStatus.typeChecking
admissionregistration.ValidatingAdmissionPolicyBindingSpec.paramRef
admissionregistration.ValidatingAdmissionPolicyBindingSpec.matchResources
admissionregistration.ParamRef.selector admissionregistration.ParamRef.parameterNotFoundAction
ConfigMap.immutable Secret.immutable ServiceAccount.automountServiceAccountToken
ObjectMeta.deletionGracePeriodSeconds OwnerReference.controller OwnerReference.blockOwnerDeletion
PodSpec.terminationGracePeriodSeconds PodSpec.activeDeadlineSeconds
PodSpec.automountServiceAccountToken PodSpec.shareProcessNamespace PodSpec.priority
PodSpec.runtimeClassName PodSpec.enableServiceLinks PodSpec.preemptionPolicy
PodSpec.setHostnameAsFQDN PodSpec.hostUsers
ServiceSpec.ipFamilyPolicy ServiceSpec.allocateLoadBalancerNodePorts ServiceSpec.loadBalancerClass
ServiceSpec.internalTrafficPolicy ServiceSpec.trafficDistribution ServicePort.appProtocol
DaemonSetSpec.revisionHistoryLimit DaemonSetStatus.collisionCount
DeploymentSpec.replicas DeploymentSpec.revisionHistoryLimit DeploymentSpec.progressDeadlineSeconds
DeploymentStatus.collisionCount DeploymentStatus.terminatingReplicas
ReplicaSetSpec.replicas ReplicaSetStatus.terminatingReplicas
LeaseSpec.holderIdentity LeaseSpec.leaseDurationSeconds LeaseSpec.leaseTransitions
LeaseSpec.strategy LeaseSpec.preferredHolder
discovery.Endpoint.hostname discovery.Endpoint.nodeName discovery.Endpoint.zone
EndpointConditions.ready EndpointConditions.serving EndpointConditions.terminating
discovery.EndpointPort.name discovery.EndpointPort.protocol discovery.EndpointPort.port
discovery.EndpointPort.appProtocol
JobSpec.parallelism JobSpec.completions JobSpec.activeDeadlineSeconds JobSpec.backoffLimit
JobSpec.backoffLimitPerIndex JobSpec.maxFailedIndexes JobSpec.manualSelector
JobSpec.ttlSecondsAfterFinished JobSpec.completionMode JobSpec.suspend
JobSpec.podReplacementPolicy JobSpec.managedBy JobStatus.ready JobStatus.terminating
JobStatus.failedIndexes PodFailurePolicyOnExitCodesRequirement.containerName
SuccessPolicyRule.succeededIndexes SuccessPolicyRule.succeededCount
CronJobSpec.timeZone CronJobSpec.startingDeadlineSeconds CronJobSpec.suspend
CronJobSpec.successfulJobsHistoryLimit CronJobSpec.failedJobsHistoryLimit
ReplicationControllerSpec.replicas PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy
PriorityClass.preemptionPolicy IngressSpec.ingressClassName IngressClassParametersReference.aPIGroup
IngressClassParametersReference.scope IngressClassParametersReference.namespace
HTTPIngressPath.pathType IngressPortStatus.error NetworkPolicyPort.protocol NetworkPolicyPort.endPort
EndpointAddress.nodeName core.EndpointPort.appProtocol
NodeSwapStatus.capacity NodeFeatures.supplementalGroupsPolicy
NodeRuntimeHandlerFeatures.recursiveReadOnlyMounts NodeRuntimeHandlerFeatures.userNamespaces
Container.restartPolicy EphemeralContainerCommon.restartPolicy
PodSecurityContext.runAsUser PodSecurityContext.runAsGroup PodSecurityContext.runAsNonRoot
PodSecurityContext.supplementalGroupsPolicy PodSecurityContext.fsGroup
PodSecurityContext.fsGroupChangePolicy PodSecurityContext.seLinuxChangePolicy
Toleration.tolerationSeconds
TopologySpreadConstraint.minDomains TopologySpreadConstraint.nodeAffinityPolicy
TopologySpreadConstraint.nodeTaintsPolicy
PodResourceClaim.resourceClaimName PodResourceClaim.resourceClaimTemplateName
ContainerStatus.started ContainerStatus.stopSignal PodResourceClaimStatus.resourceClaimName
VolumeMount.recursiveReadOnly VolumeMount.mountPropagation VolumeMountStatus.recursiveReadOnly
Probe.terminationGracePeriodSeconds Lifecycle.stopSignal
SecurityContext.privileged SecurityContext.runAsUser SecurityContext.runAsGroup
SecurityContext.runAsNonRoot SecurityContext.readOnlyRootFilesystem
SecurityContext.allowPrivilegeEscalation SecurityContext.procMount
WindowsSecurityContextOptions.gmsaCredentialSpecName WindowsSecurityContextOptions.gmsaCredentialSpec
WindowsSecurityContextOptions.runAsUserName WindowsSecurityContextOptions.hostProcess
SeccompProfile.localhostProfile AppArmorProfile.localhostProfile PodDNSConfigOption.value
ClientIPConfig.timeoutSeconds LoadBalancerIngress.ipMode PortStatus.error
HostPathVolumeSource.type SecretVolumeSource.defaultMode SecretVolumeSource.optional
ISCSIVolumeSource.initiatorName AzureDiskVolumeSource.cachingMode AzureDiskVolumeSource.fsType
AzureDiskVolumeSource.readOnly AzureDiskVolumeSource.kind
ConfigMapVolumeSource.defaultMode ConfigMapVolumeSource.optional DownwardAPIVolumeSource.defaultMode
ProjectedVolumeSource.defaultMode CSIVolumeSource.readOnly CSIVolumeSource.fsType
ConfigMapEnvSource.optional SecretEnvSource.optional ConfigMapKeySelector.optional
SecretKeySelector.optional KeyToPath.mode DownwardAPIVolumeFile.mode SecretProjection.optional
ConfigMapProjection.optional ServiceAccountTokenProjection.expirationSeconds
ClusterTrustBundleProjection.name ClusterTrustBundleProjection.signerName
ClusterTrustBundleProjection.optional
PersistentVolumeClaimSpec.storageClassName PersistentVolumeClaimSpec.volumeMode
PersistentVolumeClaimSpec.volumeAttributesClassName TypedLocalObjectReference.apiGroup
TypedObjectReference.apiGroup TypedObjectReference.namespace GRPCAction.service FCVolumeSource.lun
StatefulSetSpec.replicas StatefulSetSpec.revisionHistoryLimit StatefulSetStatus.collisionCount
RollingUpdateStatefulSetStrategy.partition
PersistentVolumeSpec.volumeMode PersistentVolumeSpec.volumeAttributesClassName
PersistentVolumeClaimStatus.currentVolumeAttributesClassName LocalVolumeSource.fsType
StorageClass.reclaimPolicy StorageClass.allowVolumeExpansion StorageClass.volumeBindingMode
CSIDriverSpec.attachRequired CSIDriverSpec.podInfoOnMount CSIDriverSpec.storageCapacity
CSIDriverSpec.fsGroupPolicy CSIDriverSpec.requiresRepublish CSIDriverSpec.seLinuxMount
CSIDriverSpec.nodeAllocatableUpdatePeriodSeconds TokenRequest.expirationSeconds
CertificateSigningRequestSpec.expirationSeconds
VolumeAttachmentSource.persistentVolumeName VolumeNodeResources.count VolumeError.errorCode
HorizontalPodAutoscalerSpec.minReplicas HorizontalPodAutoscalerStatus.observedGeneration
HPAScalingRules.stabilizationWindowSeconds HPAScalingRules.selectPolicy
MetricTarget.averageUtilization MetricValueStatus.averageUtilization
autoscalingv1.HorizontalPodAutoscalerSpec.targetCPUUtilizationPercentage
autoscalingv1.HorizontalPodAutoscalerStatus.currentCPUUtilizationPercentage
LimitedPriorityLevelConfiguration.nominalConcurrencyShares LimitedPriorityLevelConfiguration.lendablePercent
LimitedPriorityLevelConfiguration.borrowingLimitPercent ExemptPriorityLevelConfiguration.nominalConcurrencyShares
ExemptPriorityLevelConfiguration.lendablePercent
""".split()

# Go fields without omitempty: in JSON even when zero or empty (`null` for a nil slice).
KEEP = """
admissionregistration.ValidatingWebhook.name admissionregistration.ValidatingWebhook.clientConfig
admissionregistration.ValidatingWebhook.admissionReviewVersions
admissionregistration.MutatingWebhook.name admissionregistration.MutatingWebhook.clientConfig
admissionregistration.MutatingWebhook.admissionReviewVersions
admissionregistration.ServiceReference.namespace admissionregistration.ServiceReference.name
admissionregistration.MatchCondition.name admissionregistration.MatchCondition.expression
admissionregistration.Validation.Expression admissionregistration.Variable.Name
admissionregistration.Variable.Expression admissionregistration.AuditAnnotation.key
admissionregistration.AuditAnnotation.valueExpression
admissionregistration.ExpressionWarning.fieldRef admissionregistration.ExpressionWarning.warning
OwnerReference.apiVersion OwnerReference.kind OwnerReference.name OwnerReference.uid
core.Event.reportingComponent core.Event.reportingInstance EndpointAddress.ip core.EndpointPort.port
LimitRangeItem.type LimitRangeSpec.limits NamespaceCondition.type NamespaceCondition.status
Taint.key Taint.effect NodeCondition.type NodeCondition.status NodeAddress.type NodeAddress.address
NodeSystemInfo.machineID NodeSystemInfo.systemUUID NodeSystemInfo.bootID NodeSystemInfo.kernelVersion
NodeSystemInfo.osImage NodeSystemInfo.containerRuntimeVersion NodeSystemInfo.kubeletVersion
NodeSystemInfo.kubeProxyVersion NodeSystemInfo.operatingSystem NodeSystemInfo.architecture
ContainerImage.names AttachedVolume.name AttachedVolume.devicePath DaemonEndpoint.Port
Volume.name Container.name EphemeralContainerCommon.name PodSpec.containers
ContainerPort.containerPort EnvVar.name
ContainerResizePolicy.resourceName ContainerResizePolicy.restartPolicy
VolumeMount.name VolumeMount.mountPath VolumeDevice.name VolumeDevice.devicePath
Sysctl.name Sysctl.value SeccompProfile.type AppArmorProfile.type HostAlias.ip
PodReadinessGate.conditionType TopologySpreadConstraint.maxSkew TopologySpreadConstraint.topologyKey
TopologySpreadConstraint.whenUnsatisfiable PodOS.name PodSchedulingGate.name PodResourceClaim.name
PodCondition.type PodCondition.status HostIP.ip PodIP.ip
ContainerStatus.name ContainerStatus.ready ContainerStatus.restartCount ContainerStatus.image
ContainerStatus.imageID PodResourceClaimStatus.name
ScopedResourceSelectorRequirement.scopeName ScopedResourceSelectorRequirement.operator
ServicePort.port Condition.type Condition.status Condition.lastTransitionTime Condition.reason
Condition.message LabelSelectorRequirement.key LabelSelectorRequirement.operator
DaemonSetStatus.currentNumberScheduled DaemonSetStatus.numberMisscheduled
DaemonSetStatus.desiredNumberScheduled DaemonSetStatus.numberReady
DaemonSetCondition.type DaemonSetCondition.status DeploymentCondition.type DeploymentCondition.status
ReplicaSetStatus.replicas ReplicaSetCondition.type ReplicaSetCondition.status
ContainerStateTerminated.exitCode NodeSelectorRequirement.key NodeSelectorRequirement.operator
NodeSelector.nodeSelectorTerms PreferredSchedulingTerm.weight WeightedPodAffinityTerm.weight
PodAffinityTerm.topologyKey KeyToPath.key KeyToPath.path DownwardAPIVolumeFile.path
ObjectFieldSelector.fieldPath ResourceFieldSelector.resource ConfigMapKeySelector.key
SecretKeySelector.key HTTPHeader.name HTTPHeader.value GRPCAction.port SleepAction.seconds
HostPathVolumeSource.path GCEPersistentDiskVolumeSource.pdName AWSElasticBlockStoreVolumeSource.volumeID
GitRepoVolumeSource.repository NFSVolumeSource.server NFSVolumeSource.path
ISCSIVolumeSource.targetPortal ISCSIVolumeSource.iqn ISCSIVolumeSource.lun
GlusterfsVolumeSource.endpoints GlusterfsVolumeSource.path PersistentVolumeClaimVolumeSource.claimName
RBDVolumeSource.monitors RBDVolumeSource.image FlexVolumeSource.driver CinderVolumeSource.volumeID
CephFSVolumeSource.monitors AzureFileVolumeSource.secretName AzureFileVolumeSource.shareName
VsphereVirtualDiskVolumeSource.volumePath QuobyteVolumeSource.registry QuobyteVolumeSource.volume
AzureDiskVolumeSource.diskName AzureDiskVolumeSource.diskURI PhotonPersistentDiskVolumeSource.pdID
PortworxVolumeSource.volumeID ScaleIOVolumeSource.gateway ScaleIOVolumeSource.system
CSIVolumeSource.driver TypedLocalObjectReference.kind TypedLocalObjectReference.name
TypedObjectReference.kind TypedObjectReference.name ResourceClaim.name ForZone.name ForNode.name
discovery.Endpoint.addresses EndpointSlice.addressType EndpointSlice.endpoints
ReplicationControllerStatus.replicas ReplicationControllerCondition.type
ReplicationControllerCondition.status PodDisruptionBudgetStatus.disruptionsAllowed
PodDisruptionBudgetStatus.currentHealthy PodDisruptionBudgetStatus.desiredHealthy
PodDisruptionBudgetStatus.expectedPods PriorityClass.value RuntimeClass.handler
IngressClassParametersReference.kind IngressClassParametersReference.name
IngressServiceBackend.name HTTPIngressRuleValue.paths IngressPortStatus.port
IngressPortStatus.protocol IPBlock.cidr
ServiceAccountTokenProjection.path ClusterTrustBundleProjection.path
LinuxContainerUser.uid LinuxContainerUser.gid ResourceStatus.name ResourceHealth.resourceID
VolumeMountStatus.name VolumeMountStatus.mountPath PortStatus.port PortStatus.protocol
ConfigMapNodeConfigSource.namespace ConfigMapNodeConfigSource.name
ConfigMapNodeConfigSource.kubeletConfigKey NodeRuntimeHandler.name
StatefulSetSpec.template StatefulSetStatus.replicas StatefulSetStatus.availableReplicas
StatefulSetCondition.type StatefulSetCondition.status StatefulSetOrdinals.start
ControllerRevision.revision PersistentVolumeClaimCondition.type PersistentVolumeClaimCondition.status
ModifyVolumeStatus.status StorageClass.provisioner CSINodeSpec.drivers CSINodeDriver.name
CSINodeDriver.nodeID CSINodeDriver.topologyKeys VolumeAttachmentSpec.attacher
VolumeAttachmentSpec.source VolumeAttachmentSpec.nodeName VolumeAttachmentStatus.attached
TopologySelectorLabelRequirement.key TopologySelectorLabelRequirement.values
LocalVolumeSource.path CSIPersistentVolumeSource.driver CSIPersistentVolumeSource.volumeHandle
rbac.PolicyRule.verbs rbac.Role.rules rbac.ClusterRole.rules rbac.Subject.kind rbac.Subject.name
rbac.RoleRef.apiGroup rbac.RoleRef.kind rbac.RoleRef.name
CronJobSpec.schedule JobCondition.type JobCondition.status PodFailurePolicy.rules
PodFailurePolicyRule.action PodFailurePolicyOnExitCodesRequirement.operator
PodFailurePolicyOnExitCodesRequirement.values PodFailurePolicyOnPodConditionsPattern.type
PodFailurePolicyOnPodConditionsPattern.status SuccessPolicy.rules
HorizontalPodAutoscalerSpec.scaleTargetRef HorizontalPodAutoscalerSpec.maxReplicas
CrossVersionObjectReference.kind CrossVersionObjectReference.name
HorizontalPodAutoscalerStatus.desiredReplicas HorizontalPodAutoscalerStatus.currentMetrics
MetricSpec.type MetricStatus.type MetricTarget.type MetricIdentifier.name
ResourceMetricSource.name ResourceMetricSource.target ResourceMetricStatus.name
ResourceMetricStatus.current ContainerResourceMetricSource.name
ContainerResourceMetricSource.target ContainerResourceMetricSource.container
ContainerResourceMetricStatus.name ContainerResourceMetricStatus.current
ContainerResourceMetricStatus.container PodsMetricSource.metric PodsMetricSource.target
PodsMetricStatus.metric PodsMetricStatus.current ObjectMetricSource.describedObject
ObjectMetricSource.target ObjectMetricSource.metric ObjectMetricStatus.metric
ObjectMetricStatus.current ObjectMetricStatus.describedObject ExternalMetricSource.metric
ExternalMetricSource.target ExternalMetricStatus.metric ExternalMetricStatus.current
HPAScalingPolicy.type HPAScalingPolicy.value HPAScalingPolicy.periodSeconds
HorizontalPodAutoscalerCondition.type HorizontalPodAutoscalerCondition.status
CertificateSigningRequestSpec.request CertificateSigningRequestSpec.signerName
CertificateSigningRequestCondition.type CertificateSigningRequestCondition.status
autoscalingv1.HorizontalPodAutoscalerStatus.currentReplicas
events.Event.eventTime events.Event.regarding events.Event.deprecatedSource
events.Event.deprecatedFirstTimestamp events.Event.deprecatedLastTimestamp
PriorityLevelConfigurationReference.name FlowDistinguisherMethod.type PolicyRulesWithSubjects.subjects
flowcontrol.Subject.kind UserSubject.name GroupSubject.name ServiceAccountSubject.namespace
ServiceAccountSubject.name ResourcePolicyRule.verbs ResourcePolicyRule.apiGroups
ResourcePolicyRule.resources NonResourcePolicyRule.verbs NonResourcePolicyRule.nonResourceURLs
PriorityLevelConfigurationSpec.type LimitResponse.type
""".split()

# Embedded Go structs whose fields JSON writes into the parent object.
INLINE = """
admissionregistration.RuleWithOperations.rule
admissionregistration.NamedRuleWithOperations.ruleWithOperations
Volume.volumeSource PersistentVolumeSpec.persistentVolumeSource Probe.handler EphemeralContainer.ephemeralContainerCommon
ConfigMapVolumeSource.localObjectReference ConfigMapEnvSource.localObjectReference
SecretEnvSource.localObjectReference ConfigMapKeySelector.localObjectReference
SecretKeySelector.localObjectReference SecretProjection.localObjectReference
ConfigMapProjection.localObjectReference IngressRule.ingressRuleValue
""".split()

# Proto field names that are not the JSON names (generated from Go's `APIGroup`).
RENAME = {
    "IngressClassParametersReference.aPIGroup": "apiGroup",
    "BoundObjectReference.uID": "uid",
    "ValidatingWebhookConfiguration.Webhooks": "webhooks",
    "MutatingWebhookConfiguration.Webhooks": "webhooks",
    "Validation.Expression": "expression",
    "Variable.Name": "name",
    "Variable.Expression": "expression",
}

PACKAGES = {
    CORE: ("CORE", "core"), APPS: ("APPS", "apps"), META: ("META", "meta"),
    ".k8s.io.api.coordination.v1.": ("COORD", "coordination"),
    ".k8s.io.api.discovery.v1.": ("DISC", "discovery"),
    ".k8s.io.api.storage.v1.": ("STORAGE", "storage"),
    ".k8s.io.api.rbac.v1.": ("RBAC", "rbac"),
    ".k8s.io.api.batch.v1.": ("BATCH", "batch"),
    ".k8s.io.api.networking.v1.": ("NET", "networking"),
    ".k8s.io.api.node.v1.": ("NODE", "node"),
    ".k8s.io.api.policy.v1.": ("POLICY", "policy"),
    ".k8s.io.api.scheduling.v1.": ("SCHED", "scheduling"),
    ".k8s.io.api.autoscaling.v2.": ("HPA", "autoscaling"),
    ".k8s.io.api.autoscaling.v1.": ("HPAV1", "autoscalingv1"),
    ".k8s.io.api.events.v1.": ("EVENTS", "events"),
    ".k8s.io.api.authentication.v1.": ("AUTHN", "authentication"),
    ".k8s.io.api.certificates.v1.": ("CERTS", "certificates"),
    ".k8s.io.api.admissionregistration.v1.": ("ADMREG", "admissionregistration"),
    ".k8s.io.api.flowcontrol.v1.": ("FLOW", "flowcontrol"),
}


def split(full):
    for pkg, (prefix, short) in PACKAGES.items():
        if full.startswith(pkg):
            return prefix, short, full[len(pkg):]
    raise KeyError(full)


def static_name(full):
    prefix, _, name = split(full)
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return prefix + "_" + snake.replace(".", "_").upper()


def listed(table, full, field):
    _, short, name = split(full)
    return name + "." + field in table or short + "." + name + "." + field in table


def kind_of(type_num, type_name):
    if type_num == 11:
        if type_name in SPECIAL:
            return SPECIAL[type_name]
        return "Msg(&%s)" % static_name(type_name)
    return SCALAR[type_num]


def closure():
    seen, todo = [], [r[0] for r in ROOTS]
    while todo:
        m = todo.pop(0)
        if m in seen or m in SPECIAL:
            continue
        seen.append(m)
        for f in MESSAGES[m][1]:
            if f[4]:
                todo.append(f[4])
    return seen


def main():
    load(sys.argv[1])
    used = set()
    out = ["// Written by tools/protobuf_schema.py from the descriptors in kubectl 1.33; do not edit.",
           "//! The wire schema of every message reachable from the kinds `kubelite serve` stores:",
           "//! field number, JSON name, shape and how Go's JSON writes the field.", "",
           "use super::schema::{Kind::*, Message, Rule::*, Shape::*, f};", ""]
    for full in closure():
        entry, flds = MESSAGES[full]
        if entry:
            continue
        _, _, name = split(full)
        out.append("pub static %s: Message = Message {" % static_name(full))
        out.append('    name: "%s",' % name)
        out.append("    fields: &[")
        for num, fname, label, ftype, tname in flds:
            shape = "One"
            kind = kind_of(ftype, tname)
            if tname in MESSAGES and MESSAGES[tname][0]:
                value = [v for v in MESSAGES[tname][1] if v[0] == 2][0]
                shape, kind = "Map", kind_of(value[3], value[4])
            elif label == 3:
                shape = "Many"
            if listed(INLINE, full, fname):
                rule = "Inline"
            elif listed(PTR, full, fname):
                rule = "Set"
            elif listed(KEEP, full, fname):
                rule = "Always"
            else:
                rule = "NonZero"
            for t in (PTR, KEEP, INLINE):
                for key in (name + "." + fname, split(full)[1] + "." + name + "." + fname):
                    if key in t:
                        used.add(key)
            json_name = RENAME.get(name + "." + fname, fname)
            out.append('        f(%d, "%s", %s, %s, %s),' % (num, json_name, shape, kind, rule))
        out.append("    ],")
        out.append("};")
        out.append("")
    out.append("/// The top-level messages by `apiVersion` and `kind`.")
    out.append("pub static KINDS: &[(&str, &str, &Message)] = &[")
    for full, version, kind in ROOTS:
        out.append('    ("%s", "%s", &%s),' % (version, kind, static_name(full)))
    out.append("];")
    unused = [k for k in PTR + KEEP + INLINE if k not in used]
    if unused:
        sys.exit("override names that match no field: %s" % " ".join(unused))
    print("\n".join(out))


main()
