# Writes extra API objects exercising describe edge cases, timestamps relative to T0.
import json, sys, datetime, os
T0 = datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00"))
OUT = sys.argv[2]
def ago(minutes, secs=5, micro=False):
    t = T0 - datetime.timedelta(minutes=minutes, seconds=secs)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ")
def meta(name, ns=None, uid=None, labels=None, annotations=None, created=100, **kw):
    m = {"name": name}
    if ns: m["namespace"] = ns
    m["uid"] = uid or ("uid-" + name)
    m["resourceVersion"] = "1"
    m["creationTimestamp"] = ago(created)
    if labels: m["labels"] = labels
    if annotations: m["annotations"] = annotations
    m.update(kw)
    return m
objs = []
def put(o): objs.append(o)

# --- ConfigMap, Secret, ServiceAccount
put({"apiVersion":"v1","kind":"ConfigMap","metadata":meta("app-config","extra",labels={"app":"demo"}),
     "data":{"b.conf":"line1\n\tline2\n"},"binaryData":{"blob":"AAECAwQ="}})
put({"apiVersion":"v1","kind":"ConfigMap","metadata":meta("plain-config","extra"),"data":{"key":"value"}})
put({"apiVersion":"v1","kind":"Secret","metadata":meta("db-pass","extra",annotations={"owner":"team"}),"type":"Opaque",
     "data":{"password":"c2VjcmV0cGFzcw=="}})
put({"apiVersion":"v1","kind":"Secret","metadata":meta("builder-token","extra",annotations={"kubernetes.io/service-account.name":"builder","kubernetes.io/service-account.uid":"uid-builder"}),
     "type":"kubernetes.io/service-account-token","data":{"token":"ZXlKaGJHY2lPaUpTVXpJMU5pSjk="}})
put({"apiVersion":"v1","kind":"ServiceAccount","metadata":meta("builder","extra"),
     "secrets":[{"name":"db-pass"},{"name":"gone-secret"}],"imagePullSecrets":[{"name":"regcred"}]})
put({"apiVersion":"v1","kind":"ServiceAccount","metadata":meta("default","extra")})
put({"apiVersion":"v1","kind":"Namespace","metadata":meta("extra",labels={"kubernetes.io/metadata.name":"extra"},annotations={"note":"x"}),
     "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active","conditions":[{"type":"NamespaceDeletionDiscoveryFailure","status":"False","lastTransitionTime":ago(50),"reason":"ResourcesDiscovered","message":"All resources successfully discovered"}]}})
put({"apiVersion":"v1","kind":"ResourceQuota","metadata":meta("compute","extra"),
     "spec":{"hard":{"requests.cpu":"2","requests.memory":"2Gi","pods":"10"},"scopes":["NotTerminating","BestEffort"]},
     "status":{"hard":{"requests.cpu":"2","requests.memory":"2Gi","pods":"10"},"used":{"requests.cpu":"350m","requests.memory":"512Mi","pods":"3"}}})
put({"apiVersion":"v1","kind":"ResourceQuota","metadata":meta("a-objects","extra"),
     "spec":{"hard":{"configmaps":"5"}},"status":{"hard":{"configmaps":"5"},"used":{"configmaps":"2"}}})
put({"apiVersion":"v1","kind":"LimitRange","metadata":meta("limits","extra"),
     "spec":{"limits":[{"type":"Container","max":{"cpu":"1"},"min":{"cpu":"50m"},"default":{"cpu":"500m"},"defaultRequest":{"cpu":"100m"},"maxLimitRequestRatio":{"cpu":"4"}},
                        {"type":"Pod","max":{"memory":"2Gi"}}]}})

# --- Pod with many features
pod = {"apiVersion":"v1","kind":"Pod",
 "metadata":meta("complex","extra",labels={"app":"complex","tier":"web"},
   annotations={"long": "x"*150, "multi":"first line\nsecond line\n", "kubectl.kubernetes.io/last-applied-configuration":"{}", "short":"v"},
   ownerReferences=[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"complex-rs","uid":"uid-complex-rs","controller":True,"blockOwnerDeletion":True}],
   deletionTimestamp=ago(-1, 0), deletionGracePeriodSeconds=30),
 "spec":{
  "runtimeClassName":"gvisor",
  "serviceAccountName":"builder",
  "nodeName":"node02",
  "priorityClassName":"high",
  "priority":1000,
  "nodeSelector":{"disk":"ssd","zone":"a"},
  "readinessGates":[{"conditionType":"example.com/ready"},{"conditionType":"example.com/missing"}],
  "topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"complex"}}},
                               {"maxSkew":2,"topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"ScheduleAnyway"}],
  "securityContext":{"seccompProfile":{"type":"Localhost","localhostProfile":"profiles/audit.json"}},
  "tolerations":[{"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"},{"operator":"Exists"},{"key":"a-key","operator":"Exists"}],
  "initContainers":[
    {"name":"setup","image":"busybox","command":["sh","-c","echo hi\necho bye"],"resources":{"requests":{"cpu":"200m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"64Mi"}}},
    {"name":"sidecar","image":"envoy","restartPolicy":"Always","resources":{"requests":{"cpu":"50m","memory":"32Mi"},"limits":{"cpu":"50m","memory":"32Mi"}},
     "startupProbe":{"grpc":{"port":9901,"service":"health"},"periodSeconds":5,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3}}],
  "containers":[
    {"name":"main","image":"example/main:1","ports":[{"name":"http","containerPort":8080,"protocol":"TCP","hostPort":8080}],
     "securityContext":{"seccompProfile":{"type":"RuntimeDefault"}},
     "env":[{"name":"CM_KEY","valueFrom":{"configMapKeyRef":{"name":"app-config","key":"a.txt","optional":True}}},
            {"name":"MY_NODE","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"spec.nodeName"}}},
            {"name":"MY_NS","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}},
            {"name":"CPU_LIMIT","valueFrom":{"resourceFieldRef":{"containerName":"main","resource":"limits.cpu","divisor":"1m"}}},
            {"name":"CPU_REQ","valueFrom":{"resourceFieldRef":{"containerName":"main","resource":"requests.cpu"}}},
            {"name":"MEM_REQ","valueFrom":{"resourceFieldRef":{"containerName":"main","resource":"requests.memory","divisor":"1Mi"}}},
            {"name":"EPH_LIMIT","valueFrom":{"resourceFieldRef":{"containerName":"main","resource":"limits.ephemeral-storage","divisor":"1Mi"}}},
            {"name":"EMPTY","value":""}],
     "envFrom":[{"secretRef":{"name":"db-pass","optional":True},"prefix":"DB_"},{"configMapRef":{"name":"plain-config"}}],
     "resources":{"requests":{"cpu":"1","memory":"1Gi"},"limits":{"cpu":"1","memory":"1Gi"}},
     "livenessProbe":{"exec":{"command":["cat","/tmp/healthy"]},"initialDelaySeconds":3,"periodSeconds":5,"timeoutSeconds":2,"successThreshold":1,"failureThreshold":4},
     "readinessProbe":{"httpGet":{"path":"ready","port":8080,"host":"10.0.0.1","scheme":"HTTPS"},"periodSeconds":10,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3},
     "volumeMounts":[{"name":"data","mountPath":"/data","subPath":"sub/dir"},{"name":"secret-vol","mountPath":"/etc/secret","readOnly":True},{"name":"cfg","mountPath":"/b-config"}],
     "volumeDevices":[{"name":"block","devicePath":"/dev/xvda"}]},
    {"name":"waiter","image":"example/waiter:2","args":["--flag=1"]}],
  "volumes":[
    {"name":"data","persistentVolumeClaim":{"claimName":"data-pvc"}},
    {"name":"secret-vol","secret":{"secretName":"db-pass","defaultMode":420,"optional":False}},
    {"name":"cfg","configMap":{"name":"app-config","optional":True}},
    {"name":"podinfo","downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}},{"path":"cpu","resourceFieldRef":{"containerName":"main","resource":"limits.cpu"}}]}},
    {"name":"proj","projected":{"sources":[{"secret":{"name":"db-pass"}},{"configMap":{"name":"app-config"}},{"downwardAPI":{"items":[{"path":"name","fieldRef":{"fieldPath":"metadata.name"}}]}},{"serviceAccountToken":{"expirationSeconds":600,"path":"token"}}]}},
    {"name":"host","hostPath":{"path":"/var/log","type":"Directory"}},
    {"name":"scratch","emptyDir":{"medium":"Memory","sizeLimit":"64Mi"}},
    {"name":"nfsvol","nfs":{"server":"nfs.example","path":"/exports","readOnly":True}},
    {"name":"block","persistentVolumeClaim":{"claimName":"block-pvc","readOnly":True}},
    {"name":"weird","gitRepo":{"repository":"https://example/repo"}}]},
 "status":{"phase":"Running","reason":"SomeReason","message":"some message","hostIP":"192.168.56.12","podIP":"10.244.2.9",
   "podIPs":[{"ip":"10.244.2.9"},{"ip":"fd00::9"}],"nominatedNodeName":"node01","startTime":ago(30),
   "conditions":[{"type":"example.com/ready","status":"True"},{"type":"Ready","status":"False","reason":"ContainersNotReady"},{"type":"PodScheduled","status":"True"}],
   "initContainerStatuses":[
     {"name":"setup","ready":True,"restartCount":0,"image":"busybox","imageID":"","containerID":"containerd://aaa",
      "state":{"terminated":{"exitCode":0,"reason":"Completed","startedAt":ago(29),"finishedAt":ago(29,1)}}},
     {"name":"sidecar","ready":False,"restartCount":3,"image":"envoy","imageID":"envoy@sha256:1","containerID":"containerd://bbb",
      "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off"}},
      "lastState":{"terminated":{"exitCode":137,"signal":9,"reason":"OOMKilled","message":"killed\nhard","startedAt":ago(10),"finishedAt":ago(9)}}}],
   "containerStatuses":[
     {"name":"main","ready":False,"restartCount":0,"image":"example/main:1","imageID":"","containerID":"",
      "state":{"waiting":{"reason":"PodInitializing"}}},
     {"name":"waiter","ready":False,"restartCount":0,"image":"example/waiter:2","imageID":"","state":{}}]}}
put(pod)

# Best-effort pod with no status QoS (computed) and deleted-but-succeeded phase; no volumes, no SA
put({"apiVersion":"v1","kind":"Pod","metadata":meta("bare","extra",labels={"app":"bare"},deletionTimestamp=ago(1)),
     "spec":{"containers":[{"name":"c","image":"busybox","resources":{"limits":{"cpu":"100m"}}}],"nodeName":"node02"},
     "status":{"phase":"Succeeded","hostIP":"192.168.56.12"}})
put({"apiVersion":"v1","kind":"Pod","metadata":meta("guaranteed","extra",labels={"app":"g"}),
     "spec":{"containers":[{"name":"c","image":"busybox","resources":{"limits":{"cpu":"100m","memory":"100Mi"}}}],"nodeName":"node02",
             "overhead":{"cpu":"10m","memory":"1Mi"}},
     "status":{"phase":"Pending","hostIP":"192.168.56.12"}})

# --- Node without lease, with taints, unschedulable, extended resources, no allocatable
put({"apiVersion":"v1","kind":"Node","metadata":meta("node02",uid="uid-node02",labels={"kubernetes.io/role":"worker","node-role.kubernetes.io/infra":"","node-role.kubernetes.io/":"x","zone":"a"},created=4000),
     "spec":{"podCIDR":"10.244.2.0/24","podCIDRs":["10.244.2.0/24","fd00::/64"],"providerID":"kind://docker/node02","unschedulable":True,
             "taints":[{"key":"node.kubernetes.io/unschedulable","effect":"NoSchedule","timeAdded":ago(5)},{"key":"dedicated","value":"gpu","effect":"NoExecute"},{"key":"alpha","effect":"NoSchedule"}]},
     "status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110","nvidia.com/gpu":"2","hugepages-2Mi":"128Mi","ephemeral-storage":"100Gi"},
               "conditions":[{"type":"Ready","status":"Unknown","lastHeartbeatTime":ago(20),"lastTransitionTime":ago(15),"reason":"NodeStatusUnknown","message":"Kubelet stopped posting node status."}],
               "addresses":[{"type":"InternalIP","address":"192.168.56.12"},{"type":"Hostname","address":"node02"}],
               "nodeInfo":{"machineID":"m","systemUUID":"s","bootID":"b","kernelVersion":"k","osImage":"o","containerRuntimeVersion":"containerd://1.7","kubeletVersion":"v1.32.2","kubeProxyVersion":"","operatingSystem":"linux","architecture":"arm64"}}})
for (name, mins, uid) in [("NodeNotReady", 15, "uid-node02"), ("Starting", 60, "node02")]:
    put({"apiVersion":"v1","kind":"Event","metadata":{"name":"node02."+name,"namespace":"default","uid":"ev-"+name,"resourceVersion":"1","creationTimestamp":ago(mins)},
         "involvedObject":{"kind":"Node","name":"node02","uid":uid,"apiVersion":"v1"},"reason":name,"message":"Node node02 event "+name+"  ",
         "source":{"component":"kubelet" if uid=="node02" else "node-controller","host":"node02"},"firstTimestamp":ago(mins+5),"lastTimestamp":ago(mins),"count":2 if uid=="node02" else 1,"type":"Normal"})

# --- Services
put({"apiVersion":"v1","kind":"Service","metadata":meta("lb","extra",annotations={"a":"b"}),
     "spec":{"type":"LoadBalancer","selector":{"app":"complex","tier":"web"},"clusterIP":"10.96.5.5","clusterIPs":["10.96.5.5","fd00::5"],
             "ipFamilies":["IPv4","IPv6"],"ipFamilyPolicy":"PreferDualStack","externalIPs":["1.2.3.4","5.6.7.8"],"loadBalancerIP":"9.9.9.9",
             "ports":[{"name":"http","port":80,"targetPort":"http","nodePort":31000,"protocol":"TCP"},{"name":"metrics","port":9090,"targetPort":9090,"nodePort":31001,"protocol":"TCP"}],
             "sessionAffinity":"ClientIP","externalTrafficPolicy":"Local","healthCheckNodePort":32000,"loadBalancerSourceRanges":["10.0.0.0/8"],
             "internalTrafficPolicy":"Local","trafficDistribution":"PreferClose","allocateLoadBalancerNodePorts":True},
     "status":{"loadBalancer":{"ingress":[{"ip":"34.1.1.1"},{"hostname":"lb.example.com"}]}}})
eps = [{"addresses":["10.244.1.%d" % i],"conditions":{"ready": i != 2}} for i in range(1,7)]
put({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":meta("lb-abc","extra",labels={"kubernetes.io/service-name":"lb"}),
     "addressType":"IPv4","endpoints":eps,"ports":[{"name":"http","port":8080,"protocol":"TCP"},{"name":"metrics","port":9090,"protocol":"TCP"}]})
put({"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":meta("lb-v6","extra",labels={"kubernetes.io/service-name":"lb"}),
     "addressType":"IPv6","endpoints":[{"addresses":["fd00::1"]}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]})
put({"apiVersion":"v1","kind":"Service","metadata":meta("ext","extra"),
     "spec":{"type":"ExternalName","externalName":"db.example.com","sessionAffinity":"None"}})
put({"apiVersion":"v1","kind":"Service","metadata":meta("noslices","extra"),
     "spec":{"type":"ClusterIP","selector":{"app":"none"},"clusterIP":"None","clusterIPs":["None"],"ports":[{"port":53,"targetPort":53,"protocol":"UDP"}],"sessionAffinity":"None"}})
put({"apiVersion":"v1","kind":"Event","metadata":{"name":"lb.1","namespace":"extra","uid":"ev-lb1","resourceVersion":"1","creationTimestamp":ago(13)},
     "involvedObject":{"kind":"Service","namespace":"extra","name":"lb","uid":"uid-lb","apiVersion":"v1"},"reason":"EnsuringLoadBalancer","message":"Ensuring load balancer",
     "source":{"component":"service-controller"},"firstTimestamp":ago(13),"lastTimestamp":ago(13),"count":1,"type":"Normal"})

# --- Endpoints
put({"apiVersion":"v1","kind":"Endpoints","metadata":meta("multi","extra"),
     "subsets":[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"notReadyAddresses":[{"ip":"10.0.0.3"}],"ports":[{"port":80,"protocol":"TCP"},{"name":"https","port":443,"protocol":"TCP"}]},
                {"notReadyAddresses":[{"ip":"10.0.0.9"}]}]})
put({"apiVersion":"v1","kind":"Endpoints","metadata":meta("empty","extra")})

# --- Deployment with old RS, Recreate, matchExpressions
tmpl = {"metadata":{"labels":{"app":"dep"},"annotations":{"rollout":"2"}},
        "spec":{"serviceAccountName":"builder","priorityClassName":"high","initContainers":[{"name":"init","image":"busybox"}],
                "containers":[{"name":"app","image":"app:2","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}],"env":[{"name":"A","value":"1"}],
                               "volumeMounts":[{"name":"v","mountPath":"/v"}]}],
                "volumes":[{"name":"v","emptyDir":{}}],"tolerations":[{"key":"k","operator":"Equal","value":"v","effect":"NoSchedule","tolerationSeconds":10}]}}
put({"apiVersion":"apps/v1","kind":"Deployment","metadata":meta("dep","extra",labels={"app":"dep"},annotations={"deployment.kubernetes.io/revision":"2"}),
     "spec":{"replicas":2,"selector":{"matchLabels":{"app":"dep"},"matchExpressions":[{"key":"tier","operator":"NotIn","values":["db","cache"]},{"key":"env","operator":"Exists"}]},
             "template":tmpl,"strategy":{"type":"Recreate"},"minReadySeconds":5},
     "status":{"replicas":3,"updatedReplicas":2,"availableReplicas":1,"unavailableReplicas":2,
               "conditions":[{"type":"Progressing","status":"True","reason":"ReplicaSetUpdated"},{"type":"ReplicaFailure","status":"True","reason":"FailedCreate"}]}})
import copy
def rs(name, replicas, created, tmpl_):
    t = copy.deepcopy(tmpl_); t["metadata"]["labels"]["pod-template-hash"] = name.split("-")[-1]
    return {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":meta(name,"extra",labels={"app":"dep","env":"x","pod-template-hash":name.split("-")[-1]},created=created,
             ownerReferences=[{"apiVersion":"apps/v1","kind":"Deployment","name":"dep","uid":"uid-dep","controller":True}]),
            "spec":{"replicas":replicas,"selector":{"matchLabels":{"app":"dep","pod-template-hash":name.split("-")[-1]}},"template":t},
            "status":{"replicas":replicas}}
old_t = copy.deepcopy(tmpl); old_t["spec"]["containers"][0]["image"] = "app:1"
put(rs("dep-old1", 1, 60, old_t)); put(rs("dep-old0", 0, 90, old_t)); put(rs("dep-new", 2, 20, tmpl))
for i,(reason, mins, count) in enumerate([("ScalingReplicaSet", 20, 1), ("ScalingReplicaSet", 10, 3)]):
    put({"apiVersion":"v1","kind":"Event","metadata":{"name":"dep.%d"%i,"namespace":"extra","uid":"ev-dep%d"%i,"resourceVersion":"1","creationTimestamp":ago(mins)},
         "involvedObject":{"kind":"Deployment","namespace":"extra","name":"dep","uid":"uid-dep","apiVersion":"apps/v1"},"reason":reason,"message":"Scaled %d"%i,
         "source":{"component":"deployment-controller"},"firstTimestamp":ago(mins+30),"lastTimestamp":ago(mins),"count":count,"type":"Normal" if i==0 else "Warning"})

# --- ReplicaSet standalone with pods in phases and a condition
put({"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":meta("phases","extra",labels={"app":"phases"}),
     "spec":{"replicas":4,"selector":{"matchLabels":{"app":"phases"}},"template":{"metadata":{"labels":{"app":"phases"}},"spec":{"containers":[{"name":"c","image":"busybox","command":["sleep","3600"]}]}}},
     "status":{"replicas":4,"conditions":[{"type":"ReplicaFailure","status":"True","reason":"FailedCreate","message":"quota"}]}})
for i, phase in enumerate(["Pending","Failed","Succeeded","Running","Unknown"]):
    put({"apiVersion":"v1","kind":"Pod","metadata":meta("phases-%d"%i,"extra",labels={"app":"phases"},
         ownerReferences=[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"phases","uid":"uid-phases" if i != 4 else "other","controller":True}]),
         "spec":{"containers":[{"name":"c","image":"busybox"}]},"status":{"phase":phase}})

# --- DaemonSet minimal
put({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":meta("ds","extra"),
     "spec":{"selector":{"matchLabels":{"app":"ds"}},"template":{"metadata":{"labels":{"app":"ds"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}},
     "status":{}})

# --- Lots of events on one pod (ordering) with ties and missing timestamps
put({"apiVersion":"v1","kind":"Pod","metadata":meta("chatty","extra"),"spec":{"containers":[{"name":"c","image":"busybox"}]},"status":{"phase":"Pending","qosClass":"BestEffort"}})
for i in range(14):
    e = {"apiVersion":"v1","kind":"Event","metadata":{"name":"chatty.%02d"%i,"namespace":"extra","uid":"ev-chatty%d"%i,"resourceVersion":"1","creationTimestamp":ago(40)},
         "involvedObject":{"kind":"Pod","namespace":"extra","name":"chatty","uid":"uid-chatty","apiVersion":"v1"},"reason":"R%d"%i,"message":"message %d\n"%i,
         "source":{"component":"kubelet"} if i % 3 else {},"type":"Normal","count":1,
         "firstTimestamp":ago(40-i*2),"lastTimestamp":ago(40-i*2) if i % 4 else None}
    if i % 4 == 0:
        e["eventTime"] = ago(40-i*2, micro=True); e["reportingComponent"] = "rc-%d"%i; e.pop("firstTimestamp")
    if i == 8:
        e["series"] = {"count": 5, "lastObservedTime": ago(12, micro=True)}
    put(e)

for o in objs:
    md = o["metadata"]
    fn = "%s-%s-%s.json" % (o["kind"].lower(), md.get("namespace","_"), md["name"])
    json.dump(o, open(os.path.join(OUT, fn), "w"), indent=1)
print(len(objs))
# deployment without any replica sets
put2 = {"apiVersion":"apps/v1","kind":"Deployment","metadata":meta("lonely","extra"),
     "spec":{"replicas":1,"selector":{"matchLabels":{"app":"lonely"}},"template":{"metadata":{"labels":{"app":"lonely"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}},
             "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1}}},"status":{}}
json.dump(put2, open(os.path.join(OUT, "deployment-extra-lonely.json"), "w"))
# deployment whose only replica set is old
d3 = copy.deepcopy(put2); d3["metadata"] = meta("onlyold","extra"); d3["spec"]["selector"]["matchLabels"] = {"app":"onlyold"}
d3["spec"]["template"]["metadata"]["labels"] = {"app":"onlyold"}
json.dump(d3, open(os.path.join(OUT, "deployment-extra-onlyold.json"), "w"))
r3 = {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":meta("onlyold-1","extra",labels={"app":"onlyold"},
      ownerReferences=[{"apiVersion":"apps/v1","kind":"Deployment","name":"onlyold","uid":"uid-onlyold","controller":True}]),
      "spec":{"replicas":0,"selector":{"matchLabels":{"app":"onlyold"}},"template":{"metadata":{"labels":{"app":"onlyold"}},"spec":{"containers":[{"name":"c","image":"other"}]}}},"status":{"replicas":0}}
json.dump(r3, open(os.path.join(OUT, "replicaset-extra-onlyold-1.json"), "w"))
p2 = {"apiVersion":"v1","kind":"Pod","metadata":meta("vols","extra"),
      "spec":{"containers":[{"name":"c","image":"busybox"}],
              "volumes":[{"name":"csi1","csi":{"driver":"secrets-store.csi.k8s.io","readOnly":True,"volumeAttributes":{"secretProviderClass":"vault","b":"2"}}},
                         {"name":"csi2","csi":{"driver":"d","fsType":"ext4"}},
                         {"name":"git","gitRepo":{"repository":"r","revision":"abc"}}]},
      "status":{"phase":"Pending","qosClass":"BestEffort"}}
json.dump(p2, open(os.path.join(OUT, "pod-extra-vols.json"), "w"))
import random
rnd = random.Random(7)
for podname, n, mode in [("noisy", 60, "random"), ("desc", 30, "desc"), ("mostly", 70, "mostly")]:
    json.dump({"apiVersion":"v1","kind":"Pod","metadata":meta(podname,"extra"),"spec":{"containers":[{"name":"c","image":"busybox"}]},"status":{"phase":"Pending","qosClass":"BestEffort"}},
              open(os.path.join(OUT, "pod-extra-%s.json" % podname), "w"))
    for i in range(n):
        if mode == "random": m = rnd.choice([5, 6, 7, 8, None])
        elif mode == "desc": m = 40 + n - i
        else: m = 100 - i if i not in (10, 40) else 1
        e = {"apiVersion":"v1","kind":"Event","metadata":{"name":"%s.%03d"%(podname,i),"namespace":"extra","uid":"ev-%s%d"%(podname,i),"resourceVersion":"1","creationTimestamp":ago(40)},
             "involvedObject":{"kind":"Pod","namespace":"extra","name":podname,"uid":"uid-"+podname,"apiVersion":"v1"},"reason":"R%d"%i,"message":"m%d"%i,
             "source":{"component":"kubelet"},"type":"Normal","count":1,"firstTimestamp":ago(50),"lastTimestamp":ago(m) if m is not None else None}
        json.dump(e, open(os.path.join(OUT, "event-extra-%s.%03d.json" % (podname, i)), "w"))
json.dump({"apiVersion":"v1","kind":"Node","metadata":meta("node03",created=30),"spec":{},"status":{}}, open(os.path.join(OUT, "node-_-node03.json"), "w"))
json.dump({"apiVersion":"v1","kind":"Service","metadata":meta("noports","extra"),"spec":{"type":"ClusterIP","clusterIP":"10.1.1.1"}}, open(os.path.join(OUT, "service-extra-noports.json"), "w"))
json.dump({"apiVersion":"v1","kind":"Pod","metadata":meta("debugged","extra"),
  "spec":{"containers":[{"name":"c","image":"busybox"}],"ephemeralContainers":[{"name":"debugger","image":"busybox","targetContainerName":"c","stdin":True,"tty":True}]},
  "status":{"phase":"Running","qosClass":"BestEffort","containerStatuses":[{"name":"c","ready":True,"restartCount":0,"image":"busybox","imageID":"x","containerID":"containerd://c","state":{"running":{"startedAt":ago(5)}}}],
            "ephemeralContainerStatuses":[{"name":"debugger","ready":False,"restartCount":0,"image":"busybox","imageID":"x","containerID":"containerd://d","state":{"running":{"startedAt":ago(1)}}}]}},
  open(os.path.join(OUT, "pod-extra-debugged.json"), "w"))
