//! Examples and usage lines of every command, as `--help` and the man pages show them.
//! Examples are kubelite's own, in the spirit of kubectl's.

/// Usage line and examples of one command, by its path below `kubelite`.
pub struct Page {
    pub path: &'static str,
    pub usage: &'static str,
    /// (what it does, the command line)
    pub examples: &'static [(&'static str, &'static str)],
}

/// The examples and usage lines of every verb.
pub const PAGES: &[Page] = &[
    Page {
        path: "apply",
        usage: "kubelite apply (-f FILENAME | -k DIRECTORY) [options]",
        examples: &[
            (
                "Create or update the objects of a manifest",
                "kubelite apply -f deploy.yaml",
            ),
            (
                "Apply everything in a directory tree",
                "kubelite apply -R -f manifests/",
            ),
            (
                "Apply what a kustomization directory builds",
                "kubelite apply -k overlays/prod/",
            ),
            (
                "Apply from standard input",
                "cat pod.json | kubelite apply -f -",
            ),
            (
                "Apply a directory and delete the config maps labelled app=web it no longer holds",
                "kubelite apply -f manifests/ --prune -l app=web --prune-allowlist=core/v1/ConfigMap",
            ),
            (
                "Show what the server would make of it, changing nothing",
                "kubelite apply -f deploy.yaml --dry-run=server -o yaml",
            ),
            (
                "Let the API server merge and track field owners, taking contested fields",
                "kubelite apply --server-side --force-conflicts -f deploy.yaml",
            ),
            (
                "Apply only the status of a manifest's object (its status subresource)",
                "kubelite apply --server-side --subresource=status -f deploy-status.yaml",
            ),
        ],
    },
    Page {
        path: "apply view-last-applied",
        usage: "kubelite apply view-last-applied (TYPE NAME | TYPE/NAME | -f FILENAME) [options]",
        examples: &[
            (
                "What the last client-side apply sent, as YAML",
                "kubelite apply view-last-applied deployment/web",
            ),
            (
                "The same as JSON",
                "kubelite apply view-last-applied cm settings -o json",
            ),
        ],
    },
    Page {
        path: "apply edit-last-applied",
        usage: "kubelite apply edit-last-applied (RESOURCE/NAME | -f FILENAME) [options]",
        examples: &[
            (
                "Edit the last-applied configuration of the deployment web in YAML",
                "kubelite apply edit-last-applied deploy/web",
            ),
            (
                "Edit the last-applied configurations of a manifest's objects in JSON",
                "kubelite apply edit-last-applied -f deploy.yaml -o json",
            ),
        ],
    },
    Page {
        path: "apply set-last-applied",
        usage: "kubelite apply set-last-applied -f FILENAME [options]",
        examples: &[
            (
                "Record a manifest as its objects' last-applied configuration",
                "kubelite apply set-last-applied -f deploy.yaml",
            ),
            (
                "Do so for objects that were never applied (created otherwise)",
                "kubelite apply set-last-applied -f deploy.yaml --create-annotation",
            ),
        ],
    },
    Page {
        path: "create",
        usage: "kubelite create -f FILENAME [options]",
        examples: &[
            (
                "Create the objects of a manifest",
                "kubelite create -f deploy.yaml",
            ),
            (
                "Create what a kustomization directory builds",
                "kubelite create -k overlays/dev/",
            ),
            (
                "Create everything in a directory tree",
                "kubelite create -R -f manifests/",
            ),
            (
                "Create from standard input",
                "cat pod.json | kubelite create -f -",
            ),
            (
                "Show what would be created, as YAML, without creating it",
                "kubelite create -f pod.yaml --dry-run=client -o yaml",
            ),
            (
                "POST a file, as it is, to a raw path on an API server",
                "kubelite create --raw /api/v1/namespaces/default/configmaps -f cm.json",
            ),
            (
                "Create a deployment from flags instead of a manifest",
                "kubelite create deployment web --image=nginx",
            ),
        ],
    },
    Page {
        path: "create deployment",
        usage: "kubelite create deployment NAME --image=image -- [COMMAND] [args...] [options]",
        examples: &[
            (
                "A deployment of one nginx pod",
                "kubelite create deployment web --image=nginx",
            ),
            (
                "Three replicas whose container listens on port 8080",
                "kubelite create deployment api --image=registry.example/api:2.1 --replicas=3 --port=8080",
            ),
            (
                "Run a command in the container instead of the image's",
                "kubelite create deployment ticker --image=busybox:1.36 -- sh -c 'while true; do date; sleep 5; done'",
            ),
            (
                "Two containers in each pod",
                "kubelite create deployment pair --image=nginx --image=redis:7",
            ),
            (
                "Print the deployment as YAML without creating it",
                "kubelite create deployment web --image=nginx --dry-run=client -o yaml",
            ),
        ],
    },
    Page {
        path: "create service",
        usage: "kubelite create service [flags] [options]",
        examples: &[(
            "A ClusterIP service in front of the pods labelled app=web",
            "kubelite create service clusterip web --tcp=80:8080",
        )],
    },
    Page {
        path: "create service clusterip",
        usage: "kubelite create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Port 80 of the service forwards to port 8080 of the pods",
                "kubelite create service clusterip web --tcp=80:8080",
            ),
            (
                "A headless service (no cluster IP)",
                "kubelite create service clusterip peers --clusterip=None",
            ),
        ],
    },
    Page {
        path: "create service nodeport",
        usage: "kubelite create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Expose port 80 on every node, on a port the cluster picks",
                "kubelite create service nodeport web --tcp=80:8080",
            ),
            (
                "Ask for node port 30080",
                "kubelite create service nodeport web --tcp=80:8080 --node-port=30080",
            ),
        ],
    },
    Page {
        path: "create service loadbalancer",
        usage: "kubelite create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
        examples: &[(
            "A load balancer for port 443 of the pods",
            "kubelite create service loadbalancer front --tcp=443",
        )],
    },
    Page {
        path: "create service externalname",
        usage: "kubelite create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
        examples: &[(
            "The name db in the cluster resolves to a host outside it",
            "kubelite create service externalname db --external-name=db.internal.example.com",
        )],
    },
    Page {
        path: "create configmap",
        usage: "kubelite create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Keys from literal values",
                "kubelite create configmap settings --from-literal=mode=fast --from-literal=level=3",
            ),
            (
                "One key per file, named after the file, or renamed",
                "kubelite create configmap conf --from-file=nginx.conf --from-file=extra=site.conf",
            ),
            (
                "Keys from a file of KEY=value lines",
                "kubelite create configmap env --from-env-file=app.env",
            ),
        ],
    },
    Page {
        path: "create secret",
        usage: "kubelite create secret (docker-registry | generic | tls) [options]",
        examples: &[(
            "A secret holding a password",
            "kubelite create secret generic db --from-literal=password=s3cret",
        )],
    },
    Page {
        path: "create secret generic",
        usage: "kubelite create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Keys from literal values",
                "kubelite create secret generic db --from-literal=user=app --from-literal=password=s3cret",
            ),
            (
                "A key holding a file's bytes",
                "kubelite create secret generic ssh --from-file=id_ed25519=./key",
            ),
            (
                "A secret of a type of your own",
                "kubelite create secret generic api --from-env-file=api.env --type=example.com/token",
            ),
        ],
    },
    Page {
        path: "create secret docker-registry",
        usage: "kubelite create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Credentials for a private registry, for pods' imagePullSecrets",
                "kubelite create secret docker-registry pull --docker-server=registry.example --docker-username=ci --docker-password=s3cret",
            ),
            (
                "The config file a docker login wrote",
                "kubelite create secret docker-registry pull --from-file=$HOME/.docker/config.json",
            ),
        ],
    },
    Page {
        path: "create secret tls",
        usage: "kubelite create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "A TLS secret from a certificate and its key, for an ingress or a webhook",
                "kubelite create secret tls web-tls --cert=web.crt --key=web.key",
            ),
            (
                "Check that the pair matches, without creating anything",
                "kubelite create secret tls web-tls --cert=web.crt --key=web.key --dry-run=client -o name",
            ),
        ],
    },
    Page {
        path: "create quota",
        usage: "kubelite create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "At most 4 CPUs, 8Gi of memory and 20 pods in the namespace",
                "kubelite create quota team-a --hard=cpu=4,memory=8Gi,pods=20 -n team-a",
            ),
            (
                "A limit that counts only best-effort pods",
                "kubelite create quota scratch --hard=pods=50 --scopes=BestEffort",
            ),
        ],
    },
    Page {
        path: "create job",
        usage: "kubelite create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]",
        examples: &[
            (
                "A job running one container",
                "kubelite create job backup --image=busybox:1.36",
            ),
            (
                "A job with its own command",
                "kubelite create job pi --image=perl -- perl -Mbignum=bpi -wle 'print bpi(100)'",
            ),
        ],
    },
    Page {
        path: "create cronjob",
        usage: "kubelite create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags] [options]",
        examples: &[
            (
                "A job every five minutes",
                "kubelite create cronjob tick --image=busybox:1.36 --schedule=\"*/5 * * * *\"",
            ),
            (
                "Nightly, with a command, never restarted",
                "kubelite create cronjob nightly --image=busybox:1.36 --schedule=\"0 3 * * *\" --restart=Never -- date",
            ),
        ],
    },
    Page {
        path: "create role",
        usage: "kubelite create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Read pods and their logs",
                "kubelite create role pod-reader --verb=get,list,watch --resource=pods,pods/log",
            ),
            (
                "Scale two named deployments",
                "kubelite create role scaler --verb=get,update --resource=deployments.apps/scale --resource-name=web --resource-name=api",
            ),
        ],
    },
    Page {
        path: "create clusterrole",
        usage: "kubelite create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Read nodes everywhere",
                "kubelite create clusterrole node-reader --verb=get,list,watch --resource=nodes",
            ),
            (
                "Read the server's health and log URLs",
                "kubelite create clusterrole health --verb=get --non-resource-url=/healthz,/logs/*",
            ),
            (
                "Gather the rules of the cluster roles labelled for it",
                "kubelite create clusterrole monitoring --aggregation-rule=\"example.com/aggregate-to-monitoring=true\"",
            ),
        ],
    },
    Page {
        path: "create rolebinding",
        usage: "kubelite create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Let two users edit in one namespace",
                "kubelite create rolebinding editors --clusterrole=edit --user=ann --user=bob -n team",
            ),
            (
                "Grant a namespace's role to a group and a service account",
                "kubelite create rolebinding readers --role=reader --group=auditors --serviceaccount=team:ci",
            ),
        ],
    },
    Page {
        path: "create clusterrolebinding",
        usage: "kubelite create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Make a group administrators of the whole cluster",
                "kubelite create clusterrolebinding ops-admin --clusterrole=cluster-admin --group=ops",
            ),
            (
                "Let a service account read everywhere",
                "kubelite create clusterrolebinding ci-view --clusterrole=view --serviceaccount=ci:runner",
            ),
        ],
    },
    Page {
        path: "create priorityclass",
        usage: "kubelite create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "A priority for critical workloads",
                "kubelite create priorityclass critical --value=100000 --description=\"services users wait on\"",
            ),
            (
                "The default for pods naming no class, never preempting others",
                "kubelite create priorityclass batch --value=10 --global-default --preemption-policy=Never",
            ),
        ],
    },
    Page {
        path: "create poddisruptionbudget",
        usage: "kubelite create poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Keep at least two web pods up through voluntary disruptions",
                "kubelite create poddisruptionbudget web --selector=app=web --min-available=2",
            ),
            (
                "Let at most a fifth of the workers be down at once",
                "kubelite create pdb workers --selector=app=worker --max-unavailable=20%",
            ),
        ],
    },
    Page {
        path: "create ingress",
        usage: "kubelite create ingress NAME --rule=host/path=service:port[,tls[=secret]]  [options]",
        examples: &[
            (
                "Send foo.com/bar to web:8080, with TLS from the secret web-cert",
                "kubelite create ingress web --rule=\"foo.com/bar=web:8080,tls=web-cert\"",
            ),
            (
                "Everything below /api (a prefix), with a class and a default backend",
                "kubelite create ingress api --class=nginx --rule=\"/api*=api:http\" --default-backend=fallback:80",
            ),
            (
                "An ingress with an annotation",
                "kubelite create ingress annotated --rule=\"foo.com/=web:80\" --annotation=example.com/owner=team-a",
            ),
        ],
    },
    Page {
        path: "create namespace",
        usage: "kubelite create namespace NAME [--dry-run=server|client|none] [options]",
        examples: &[(
            "A namespace for one team",
            "kubelite create namespace team-a",
        )],
    },
    Page {
        path: "create serviceaccount",
        usage: "kubelite create serviceaccount NAME [--dry-run=server|client|none] [options]",
        examples: &[(
            "A service account in the namespace ci",
            "kubelite create serviceaccount builder -n ci",
        )],
    },
    Page {
        path: "create token",
        usage: "kubelite create token SERVICE_ACCOUNT_NAME [options]",
        examples: &[
            (
                "A token for the service account builder, for the API server, for an hour",
                "kubelite create token builder -n ci",
            ),
            (
                "Ten minutes, for another audience too",
                "kubelite create token builder --duration=10m --audience=https://vault.example.com",
            ),
            (
                "A token that ends with the pod it is bound to",
                "kubelite create token builder --bound-object-kind=Pod --bound-object-name=runner-0",
            ),
        ],
    },
    Page {
        path: "get",
        usage: "kubelite get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
        examples: &[
            (
                "Pods of the current namespace, as a table",
                "kubelite get pods",
            ),
            (
                "The same with node and IP columns",
                "kubelite get pods -o wide",
            ),
            ("Every pod of the cluster", "kubelite get pods -A"),
            (
                "One deployment as YAML",
                "kubelite get deployment/web -o yaml",
            ),
            (
                "Several types at once",
                "kubelite get deploy,rs,svc -n kube-system",
            ),
            (
                "Pods with a label, and the label as a column",
                "kubelite get pods -l app=web -L app",
            ),
            (
                "Only the image of each pod",
                "kubelite get pods -o jsonpath='{.items[*].spec.containers[*].image}'",
            ),
            (
                "Each pod's name and phase, through a Go template",
                "kubelite get pods -o go-template='{{range .items}}{{.metadata.name}} {{.status.phase}}{{\"\\n\"}}{{end}}'",
            ),
            ("Follow changes to pods", "kubelite get pods -w"),
            (
                "The objects a directory of manifests names, read from the cluster",
                "kubelite get -R -f manifests/",
            ),
            (
                "The objects a kustomization directory builds, as they are in the cluster",
                "kubelite get -k overlays/prod/",
            ),
        ],
    },
    Page {
        path: "describe",
        usage: "kubelite describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
        examples: &[
            (
                "Details and recent events of one node",
                "kubelite describe node node01",
            ),
            (
                "Every pod whose name starts with web",
                "kubelite describe pods web",
            ),
            ("A deployment by TYPE/NAME", "kubelite describe deploy/web"),
            (
                "The control-plane pods",
                "kubelite describe pods -n kube-system -l tier=control-plane",
            ),
        ],
    },
    Page {
        path: "delete",
        usage: "kubelite delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
        examples: &[
            (
                "Delete the objects a manifest describes",
                "kubelite delete -f deploy.yaml",
            ),
            (
                "Delete the objects a kustomization directory builds",
                "kubelite delete -k overlays/prod/",
            ),
            ("Delete one pod", "kubelite delete pod myapp-pod"),
            (
                "Delete a pod at once, skipping the grace period",
                "kubelite delete pod myapp-pod --now",
            ),
            (
                "Delete every pod with a label",
                "kubelite delete pods -l app=web",
            ),
            (
                "Delete every deployment of a namespace",
                "kubelite delete deployments --all -n team",
            ),
            (
                "A DELETE of a raw path on an API server, its reply as it comes",
                "kubelite delete --raw /api/v1/namespaces/default/configmaps/settings",
            ),
        ],
    },
    Page {
        path: "run",
        usage: "kubelite run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
        examples: &[
            ("Start a pod of nginx", "kubelite run web --image=nginx"),
            (
                "Start a pod listening on port 80 with a service in front of it",
                "kubelite run web --image=nginx --port=80 --expose",
            ),
            (
                "Print the pod that would be created, without any cluster",
                "kubelite run web --image=nginx --dry-run=client -o yaml",
            ),
            (
                "Run a command of your own instead of the image's",
                "kubelite run job --image=busybox --restart=Never --command -- sleep 30",
            ),
        ],
    },
    Page {
        path: "expose",
        usage: "kubelite expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
        examples: &[
            (
                "Put a service on port 80 in front of a deployment's pods on port 8080",
                "kubelite expose deployment web --port=80 --target-port=8080",
            ),
            (
                "Reach a pod from outside the cluster through a node port",
                "kubelite expose pod web --type=NodePort --name=web-np",
            ),
            (
                "Print the service that would be created",
                "kubelite expose deploy web --dry-run=client -o yaml",
            ),
        ],
    },
    Page {
        path: "autoscale",
        usage: "kubelite autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU] [options]",
        examples: &[
            (
                "Keep a deployment between 2 and 10 pods, at the server's default CPU target",
                "kubelite autoscale deployment web --min=2 --max=10",
            ),
            (
                "Scale a replication controller up to 5 pods at 80% of its requested CPU",
                "kubelite autoscale rc web --max=5 --cpu-percent=80",
            ),
            (
                "Print the autoscaler that would be created",
                "kubelite autoscale deploy web --max=3 --dry-run=client -o yaml",
            ),
        ],
    },
    Page {
        path: "scale",
        usage: "kubelite scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
        examples: &[
            (
                "Run five replicas of a deployment",
                "kubelite scale deployment/web --replicas=5",
            ),
            (
                "Scale only if there are three now",
                "kubelite scale --current-replicas=3 --replicas=1 deploy web",
            ),
        ],
    },
    Page {
        path: "label",
        usage: "kubelite label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
        examples: &[
            (
                "Give a pod the label tier=frontend",
                "kubelite label pods web tier=frontend",
            ),
            (
                "Change a label that is already set",
                "kubelite label --overwrite pod/web tier=backend",
            ),
            (
                "Label every pod of the namespace",
                "kubelite label pods --all team=blue",
            ),
            ("Remove the label tier", "kubelite label pod web tier-"),
            ("Show a pod's labels", "kubelite label pod web --list"),
        ],
    },
    Page {
        path: "annotate",
        usage: "kubelite annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]",
        examples: &[
            (
                "Note who owns a deployment",
                "kubelite annotate deployment web owner=team-blue",
            ),
            (
                "Replace a note only if the object has not changed since version 42",
                "kubelite annotate --overwrite pod web owner=me --resource-version=42",
            ),
            (
                "Annotate the objects of a manifest",
                "kubelite annotate -f web.yaml reviewed=yes",
            ),
            (
                "Remove the annotation owner",
                "kubelite annotate pod web owner-",
            ),
        ],
    },
    Page {
        path: "replace",
        usage: "kubelite replace -f FILENAME [options]",
        examples: &[
            (
                "Put the stored pod web back to what web.yaml says",
                "kubelite replace -f web.yaml",
            ),
            (
                "Replace from stdin what get printed and was edited",
                "kubelite get pod web -o yaml | sed 's/v1/v2/' | kubelite replace -f -",
            ),
            (
                "Delete and create again (for fields an update may not change)",
                "kubelite replace --force -f web.yaml",
            ),
            (
                "A PUT of a file, as it is, to a raw path on an API server",
                "kubelite replace --raw /api/v1/namespaces/default/configmaps/settings -f cm.json",
            ),
        ],
    },
    Page {
        path: "edit",
        usage: "kubelite edit (RESOURCE/NAME | -f FILENAME) [options]",
        examples: &[
            (
                "Edit the service web in the editor KUBE_EDITOR or EDITOR names (vi otherwise)",
                "kubelite edit svc/web",
            ),
            (
                "Edit two config maps at once, as JSON",
                "KUBE_EDITOR=\"code --wait\" kubelite edit configmap app-a app-b -o json",
            ),
            (
                "Edit a deployment, print the patch sent and keep the result for apply",
                "kubelite edit deployment/web --output-patch --save-config",
            ),
            (
                "Edit a pod's status",
                "kubelite edit pod web --subresource=status",
            ),
        ],
    },
    Page {
        path: "diff",
        usage: "kubelite diff -f FILENAME [options]",
        examples: &[
            (
                "Show what applying a manifest would change (exit 1 when something would)",
                "kubelite diff -f deploy.yaml",
            ),
            (
                "Compare every manifest below a directory, with server-side apply",
                "kubelite diff -R -f manifests/ --server-side",
            ),
            (
                "Use another diff program",
                "KUBECTL_EXTERNAL_DIFF=\"colordiff -N -u\" kubelite diff -f web.yaml",
            ),
        ],
    },
    Page {
        path: "patch",
        usage: "kubelite patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
        examples: &[
            (
                "Change a container's image (strategic merge: containers merge by name)",
                "kubelite patch deploy web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\"}]}}}}'",
            ),
            (
                "Set a label with a JSON merge patch written in YAML",
                "kubelite patch pod web --type merge -p 'metadata: {labels: {tier: web}}'",
            ),
            (
                "Replace a field with a JSON patch",
                "kubelite patch pod web --type=json -p '[{\"op\": \"replace\", \"path\": \"/spec/activeDeadlineSeconds\", \"value\": 60}]'",
            ),
            (
                "Set the replicas through the scale subresource",
                "kubelite patch deployment web --subresource=scale -p '{\"spec\":{\"replicas\":3}}'",
            ),
            (
                "Apply the patch in a file",
                "kubelite patch pod web --patch-file patch.yaml",
            ),
        ],
    },
    Page {
        path: "rollout",
        usage: "kubelite rollout SUBCOMMAND [options]",
        examples: &[
            (
                "Wait until a deployment's rollout finishes",
                "kubelite rollout status deployment/web",
            ),
            (
                "List the revisions of a deployment",
                "kubelite rollout history deploy/web",
            ),
            (
                "Go back to the previous revision",
                "kubelite rollout undo deploy/web",
            ),
            (
                "Replace every pod of a deployment",
                "kubelite rollout restart deploy/web",
            ),
        ],
    },
    Page {
        path: "rollout status",
        usage: "kubelite rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
        examples: &[
            (
                "Wait for the rollout of a deployment",
                "kubelite rollout status deployment/web",
            ),
            (
                "Print the state once and return",
                "kubelite rollout status deploy/web --watch=false",
            ),
        ],
    },
    Page {
        path: "rollout history",
        usage: "kubelite rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
        examples: &[
            (
                "Every revision of a deployment",
                "kubelite rollout history deployment/web",
            ),
            (
                "The pod template of revision 2",
                "kubelite rollout history deployment/web --revision=2",
            ),
            (
                "A daemon set's revisions, from the ControllerRevisions it owns",
                "kubelite rollout history daemonset/kube-proxy -n kube-system",
            ),
            (
                "A stateful set's revisions",
                "kubelite rollout history statefulset/web",
            ),
        ],
    },
    Page {
        path: "rollout undo",
        usage: "kubelite rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
        examples: &[
            (
                "Back to the revision before this one",
                "kubelite rollout undo deployment/web",
            ),
            (
                "Back to revision 1",
                "kubelite rollout undo deployment/web --to-revision=1",
            ),
        ],
    },
    Page {
        path: "rollout restart",
        usage: "kubelite rollout restart RESOURCE [options]",
        examples: &[(
            "New pods for a deployment, same spec",
            "kubelite rollout restart deployment/web",
        )],
    },
    Page {
        path: "rollout pause",
        usage: "kubelite rollout pause RESOURCE [options]",
        examples: &[(
            "Hold a deployment's rollouts while its template is edited",
            "kubelite rollout pause deployment/web",
        )],
    },
    Page {
        path: "rollout resume",
        usage: "kubelite rollout resume RESOURCE [options]",
        examples: &[(
            "Let a paused deployment roll out again",
            "kubelite rollout resume deployment/web",
        )],
    },
    Page {
        path: "set",
        usage: "kubelite set SUBCOMMAND [options]",
        examples: &[(
            "Change the image of a container",
            "kubelite set image deployment/web nginx=nginx:1.27",
        )],
    },
    Page {
        path: "set image",
        usage: "kubelite set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
        examples: &[
            (
                "Change one container's image, which starts a rollout",
                "kubelite set image deployment/web nginx=nginx:1.27",
            ),
            (
                "Change the image of every container",
                "kubelite set image deploy/web '*=busybox:1.36'",
            ),
        ],
    },
    Page {
        path: "set env",
        usage: "kubelite set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
        examples: &[
            (
                "Set a variable in every container of a deployment (a rollout follows)",
                "kubelite set env deployment/web LOG_LEVEL=debug",
            ),
            (
                "Remove a variable from the container named app",
                "kubelite set env deploy/web -c app LOG_LEVEL-",
            ),
            (
                "Take variables from a config map's keys, named with a prefix",
                "kubelite set env deploy/web --from=configmap/settings --prefix=APP_",
            ),
            (
                "Print the variables, with the values of config maps and secrets",
                "kubelite set env deploy/web --list --resolve",
            ),
        ],
    },
    Page {
        path: "set resources",
        usage: "kubelite set resources (-f FILENAME | TYPE NAME) [--limits=LIMITS & --requests=REQUESTS] [options]",
        examples: &[
            (
                "Limit every container of a deployment",
                "kubelite set resources deployment/web --limits=cpu=500m,memory=256Mi",
            ),
            (
                "Ask for resources for one container, without changing anything",
                "kubelite set resources deploy/web -c app --requests=cpu=100m --dry-run=client -o yaml",
            ),
        ],
    },
    Page {
        path: "set serviceaccount",
        usage: "kubelite set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT [options]",
        examples: &[(
            "Run a deployment's pods as the service account builder",
            "kubelite set sa deployment/web builder",
        )],
    },
    Page {
        path: "set selector",
        usage: "kubelite set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version] [options]",
        examples: &[(
            "Send a service's traffic to the pods labelled app=web,tier=front",
            "kubelite set selector service/web app=web,tier=front",
        )],
    },
    Page {
        path: "set subject",
        usage: "kubelite set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
        examples: &[
            (
                "Let the user jane and the group ops read through an existing binding",
                "kubelite set subject rolebinding readers --user=jane --group=ops",
            ),
            (
                "Bind a service account of another namespace, without changing anything",
                "kubelite set subject clusterrolebinding view-all --serviceaccount=ci:builder --dry-run=client -o yaml",
            ),
        ],
    },
    Page {
        path: "exec",
        usage: "kubelite exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
        examples: &[
            (
                "Read the cluster's store through the etcd pod",
                "kubelite exec etcd-master -n kube-system -- etcdctl get / --prefix --keys-only",
            ),
            (
                "Pick the container by name",
                "kubelite exec etcd-master -n kube-system -c etcd -- etcdctl endpoint status",
            ),
        ],
    },
    Page {
        path: "etcd",
        usage: "kubelite etcd [--data-dir=DIR] [--name=NAME] [--listen-client-urls=URLS] [--advertise-client-urls=URLS] [options]",
        examples: &[
            (
                "One etcd member on default.etcd, for the real etcdctl on localhost:2379",
                "kubelite etcd",
            ),
            (
                "On another port and data dir (a link named etcd does the same: ./etcd ...)",
                "kubelite etcd --data-dir=/tmp/e1 --listen-client-urls=http://127.0.0.1:12379 --advertise-client-urls=http://127.0.0.1:12379",
            ),
        ],
    },
    Page {
        path: "etcdctl",
        usage: "kubelite etcdctl [etcdctl flags] COMMAND [args...]",
        examples: &[
            (
                "Keys the API server wrote for pods",
                "kubelite etcdctl get /registry/pods --prefix --keys-only",
            ),
            (
                "The store's revision and size",
                "kubelite etcdctl endpoint status -w table",
            ),
        ],
    },
    Page {
        path: "version",
        usage: "kubelite version [flags] [options]",
        examples: &[
            ("Client and server versions", "kubelite version"),
            (
                "The client's version only, as YAML",
                "kubelite version --client -o yaml",
            ),
        ],
    },
    Page {
        path: "api-resources",
        usage: "kubelite api-resources [flags] [options]",
        examples: &[
            (
                "Every resource type the server has",
                "kubelite api-resources",
            ),
            (
                "Only namespaced types, by name",
                "kubelite api-resources --namespaced=true -o name",
            ),
        ],
    },
    Page {
        path: "api-versions",
        usage: "kubelite api-versions [options]",
        examples: &[(
            "Every group/version the server serves",
            "kubelite api-versions",
        )],
    },
    Page {
        path: "explain",
        usage: "kubelite explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]",
        examples: &[
            (
                "What a pod is, and its top-level fields",
                "kubelite explain pods",
            ),
            (
                "One field, with its type and allowed values",
                "kubelite explain pods.spec.containers.imagePullPolicy",
            ),
            (
                "Every field of a kind, as a tree",
                "kubelite explain deployment --recursive",
            ),
            (
                "A kind of a given group and version",
                "kubelite explain deployments --api-version=apps/v1",
            ),
        ],
    },
    Page {
        path: "plugin",
        usage: "kubelite plugin [flags] [options]",
        examples: &[("Which plugins the PATH offers", "kubelite plugin list")],
    },
    Page {
        path: "plugin list",
        usage: "kubelite plugin list [flags] [options]",
        examples: &[
            (
                "Every kubelite-* and kubectl-* executable on the PATH, with warnings",
                "kubelite plugin list",
            ),
            ("Their file names only", "kubelite plugin list --name-only"),
        ],
    },
    Page {
        path: "cluster-info",
        usage: "kubelite cluster-info [flags] [options]",
        examples: &[("Where the control plane is", "kubelite cluster-info")],
    },
    Page {
        path: "certificate",
        usage: "kubelite certificate SUBCOMMAND [options]",
        examples: &[
            ("Approve CSR 'jane'", "kubelite certificate approve jane"),
            ("Deny CSR 'jane'", "kubelite certificate deny jane"),
        ],
    },
    Page {
        path: "certificate approve",
        usage: "kubelite certificate approve (-f FILENAME | NAME) [options]",
        examples: &[
            (
                "Approve CSR 'csr-sqgzp'",
                "kubelite certificate approve csr-sqgzp",
            ),
            (
                "Approve the requests a manifest names, even if already approved",
                "kubelite certificate approve -f csr.yaml --force",
            ),
        ],
    },
    Page {
        path: "certificate deny",
        usage: "kubelite certificate deny (-f FILENAME | NAME) [options]",
        examples: &[(
            "Deny CSR 'csr-sqgzp'",
            "kubelite certificate deny csr-sqgzp",
        )],
    },
    Page {
        path: "auth",
        usage: "kubelite auth [flags] [options]",
        examples: &[
            ("May I delete pods here?", "kubelite auth can-i delete pods"),
            ("Who am I to the server?", "kubelite auth whoami"),
        ],
    },
    Page {
        path: "auth can-i",
        usage: "kubelite auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]",
        examples: &[
            (
                "Check whether I may create deployments in any namespace",
                "kubelite auth can-i create deployments.apps -A",
            ),
            (
                "Check whether the read-only user may open a shell in a pod",
                "kubelite auth can-i create pods --subresource=exec --as viewer",
            ),
            (
                "Check a path outside the resources",
                "kubelite auth can-i get /healthz",
            ),
            (
                "List everything I may do in kube-system",
                "kubelite auth can-i --list -n kube-system",
            ),
            (
                "Only the exit status: 0 yes, 1 no",
                "kubelite auth can-i patch nodes -q",
            ),
        ],
    },
    Page {
        path: "auth whoami",
        usage: "kubelite auth whoami [options]",
        examples: &[
            ("My user name and groups", "kubelite auth whoami"),
            ("The same as JSON", "kubelite auth whoami -o json"),
        ],
    },
    Page {
        path: "auth reconcile",
        usage: "kubelite auth reconcile [options]",
        examples: &[(
            "Refused: kubelite serves no RBAC objects",
            "kubelite auth reconcile -f rbac.yaml",
        )],
    },
    Page {
        path: "top",
        usage: "kubelite top [flags] [options]",
        examples: &[
            ("CPU and memory of every node", "kubelite top node"),
            (
                "CPU and memory of every pod in every namespace, busiest first",
                "kubelite top pod -A --sort-by=cpu",
            ),
        ],
    },
    Page {
        path: "top node",
        usage: "kubelite top node [NAME | -l label] [options]",
        examples: &[
            ("Usage of every node", "kubelite top node"),
            ("Usage of one node", "kubelite top node node01"),
            (
                "Percentages of the nodes' capacity rather than allocatable",
                "kubelite top node --show-capacity --sort-by=memory",
            ),
        ],
    },
    Page {
        path: "top pod",
        usage: "kubelite top pod [NAME | -l label] [options]",
        examples: &[
            (
                "Usage of the pods of the current namespace",
                "kubelite top pod",
            ),
            (
                "Usage of each container of the pods labelled app=web, with a total",
                "kubelite top pod -l app=web --containers --sum",
            ),
            (
                "Simulate a busy pod in the embedded cluster (its usage is read from these annotations)",
                "kubelite annotate pod web kubelite.io/cpu-usage=750m kubelite.io/memory-usage=1Gi",
            ),
        ],
    },
    Page {
        path: "completion",
        usage: "kubelite completion SHELL [options]",
        examples: &[
            (
                "Complete kubelite in this bash session",
                "source <(kubelite completion bash)",
            ),
            (
                "Complete kubelite in every new zsh",
                "echo 'source <(kubelite completion zsh)' >> ~/.zshrc",
            ),
            (
                "Complete kubelite in fish",
                "kubelite completion fish | source",
            ),
            (
                "Complete kubelite in PowerShell",
                "kubelite completion powershell | Out-String | Invoke-Expression",
            ),
        ],
    },
    Page {
        path: "cordon",
        usage: "kubelite cordon NODE [options]",
        examples: &[
            (
                "Keep new pods off node01; those already there stay",
                "kubelite cordon node01",
            ),
            (
                "Cordon every worker node",
                "kubelite cordon -l '!node-role.kubernetes.io/control-plane'",
            ),
        ],
    },
    Page {
        path: "uncordon",
        usage: "kubelite uncordon NODE [options]",
        examples: &[(
            "Let the scheduler use node01 again",
            "kubelite uncordon node01",
        )],
    },
    Page {
        path: "drain",
        usage: "kubelite drain NODE [options]",
        examples: &[
            (
                "Move node01's pods elsewhere before taking it down",
                "kubelite drain node01 --ignore-daemonsets",
            ),
            (
                "Also remove pods without a controller and pods with emptyDir volumes",
                "kubelite drain node01 --ignore-daemonsets --force --delete-emptydir-data",
            ),
            (
                "See which pods would go, changing nothing",
                "kubelite drain node01 --ignore-daemonsets --dry-run=client",
            ),
            (
                "Give up if the pods are not gone within two minutes",
                "kubelite drain node01 --ignore-daemonsets --timeout=2m",
            ),
        ],
    },
    Page {
        path: "taint",
        usage: "kubelite taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]",
        examples: &[
            (
                "Only pods tolerating gpu=true may be scheduled on node01",
                "kubelite taint nodes node01 gpu=true:NoSchedule",
            ),
            (
                "Also remove the pods already there that do not tolerate it",
                "kubelite taint nodes node01 gpu=true:NoExecute",
            ),
            (
                "Change the value of an existing taint",
                "kubelite taint nodes node01 gpu=false:NoSchedule --overwrite",
            ),
            (
                "Remove the gpu taint with the NoSchedule effect",
                "kubelite taint nodes node01 gpu:NoSchedule-",
            ),
            (
                "Remove every taint keyed gpu, whatever its effect",
                "kubelite taint nodes node01 gpu-",
            ),
            (
                "Taint the nodes with a label",
                "kubelite taint nodes -l disk=ssd maintenance:PreferNoSchedule",
            ),
        ],
    },
    Page {
        path: "options",
        usage: "kubelite options [flags]",
        examples: &[("The flags every command takes", "kubelite options")],
    },
    Page {
        path: "logs",
        usage: "kubelite logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
        examples: &[
            (
                "What a pod's only container printed",
                "kubelite logs myapp-pod",
            ),
            (
                "One container, followed as it prints",
                "kubelite logs -f myapp-pod -c app",
            ),
            (
                "The last 10 lines of every container of the pods labelled app=web, each line prefixed",
                "kubelite logs -l app=web --all-containers --prefix",
            ),
        ],
    },
    Page {
        path: "wait",
        usage: "kubelite wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
        examples: &[
            (
                "Until the pod reports the Ready condition",
                "kubelite wait --for=condition=Ready pod/myapp-pod",
            ),
            (
                "Until every deployment in the namespace is Available, for at most a minute",
                "kubelite wait --for=condition=Available deployment --all --timeout=60s",
            ),
            (
                "Until a field holds a value",
                "kubelite wait --for=jsonpath='{.status.phase}'=Running pod/myapp-pod",
            ),
            (
                "Until the pod is gone",
                "kubelite wait --for=delete pod/myapp-pod --timeout=30s",
            ),
        ],
    },
    Page {
        path: "events",
        usage: "kubelite events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]",
        examples: &[
            (
                "The events of the current namespace, oldest first",
                "kubelite events",
            ),
            (
                "Only warnings, in every namespace",
                "kubelite events --types=Warning -A",
            ),
            (
                "What happened to one pod, then whatever happens next",
                "kubelite events --for pod/myapp-pod --watch",
            ),
            ("The events as YAML", "kubelite events -o yaml"),
        ],
    },
    Page {
        path: "serve",
        usage: "kubelite serve [flags] [options]",
        examples: &[
            (
                "Serve the embedded cluster's API to any Kubernetes client",
                "kubelite serve",
            ),
            (
                "Serve a fresh copy of a saved cluster on a free port",
                "KUBELITE_HOME=$(mktemp -d) kubelite serve --listen 127.0.0.1:0 --snapshot base.snap",
            ),
            (
                "Keep the cluster in etcd, as kube-apiserver does",
                "kubelite serve --etcd-servers=http://127.0.0.1:2379",
            ),
            (
                "Run one command on that cluster straight from etcd (every cluster command takes the etcd flags, or KUBELITE_ETCD_SERVERS)",
                "kubelite get pods --etcd-servers=http://127.0.0.1:2379",
            ),
        ],
    },
    Page {
        path: "store",
        usage: "kubelite store copy --from=PLACE --to=PLACE [--overwrite] [options]",
        examples: &[(
            "Move the embedded cluster into an etcd",
            "kubelite store copy --from kubelite:///home/me/.kubelite --to etcd://127.0.0.1:2379",
        )],
    },
    Page {
        path: "store copy",
        usage: "kubelite store copy --from=PLACE --to=PLACE [--overwrite] [options]",
        examples: &[
            (
                "Move the embedded cluster into an etcd, for serve --etcd-servers",
                "kubelite store copy --from kubelite:///home/me/.kubelite --to etcd://127.0.0.1:2379",
            ),
            (
                "And back into a new home",
                "kubelite store copy --from etcd://127.0.0.1:2379 --to kubelite:///tmp/cluster",
            ),
            (
                "Between two etcd clusters, replacing what the target held under /other",
                "kubelite store copy --from etcd://10.0.0.5:2379 --to etcd://10.0.0.9:2379/other --overwrite",
            ),
        ],
    },
    Page {
        path: "test",
        usage: "kubelite test [PATH...] [--update] [--timeout=30s] [-j N] [--junit=FILE] [--format=human|tap] [--watch] [options]",
        examples: &[
            (
                "Run every scenario (*.txt) under a directory, each on a fresh cluster",
                "kubelite test examples/",
            ),
            (
                "Write what the commands printed as the new expected output (then read the diff)",
                "kubelite test --update tests/scenarios/",
            ),
            (
                "For CI: TAP on stdout and JUnit XML in a file",
                "kubelite test --format=tap --junit=report.xml tests/",
            ),
            (
                "Run again each scenario whose file changes",
                "kubelite test --watch examples/",
            ),
        ],
    },
    Page {
        path: "snapshot",
        usage: "kubelite snapshot SUBCOMMAND FILE [options]",
        examples: &[
            (
                "Save the embedded cluster (its store at one revision, nodes' files, keys)",
                "kubelite snapshot save base.snap",
            ),
            (
                "Fork it into a new home",
                "KUBELITE_HOME=$(mktemp -d) kubelite snapshot restore base.snap",
            ),
            (
                "Serve a fresh copy of it",
                "KUBELITE_HOME=$(mktemp -d) kubelite serve --listen 127.0.0.1:0 --snapshot base.snap",
            ),
        ],
    },
    Page {
        path: "snapshot save",
        usage: "kubelite snapshot save FILE [options]",
        examples: &[(
            "Save the embedded cluster of KUBELITE_HOME (no serve may be running on it)",
            "kubelite snapshot save base.snap",
        )],
    },
    Page {
        path: "snapshot restore",
        usage: "kubelite snapshot restore FILE [options]",
        examples: &[(
            "Restore into a new home (never over a cluster)",
            "KUBELITE_HOME=/tmp/fork kubelite snapshot restore base.snap",
        )],
    },
    Page {
        path: "node",
        usage: "kubelite node SUBCOMMAND [options]",
        examples: &[
            (
                "Stop a node's kubelet, as if the machine went down",
                "kubelite node stop node01",
            ),
            ("Bring it back", "kubelite node start node01"),
            (
                "Log into the control-plane node",
                "kubelite node ssh master",
            ),
        ],
    },
    Page {
        path: "node ssh",
        usage: "kubelite node ssh NODE [-- COMMAND...] [options]",
        examples: &[
            (
                "A shell on the control-plane node (exit to leave)",
                "kubelite node ssh master",
            ),
            (
                "The controller manager's flags, as the node's processes show them",
                "kubelite node ssh master -- 'ps aux | grep kube-controller-manager'",
            ),
            (
                "Why is a worker's kubelet down?",
                "kubelite node ssh node01 -- 'systemctl status kubelet; journalctl -u kubelet -n 20'",
            ),
            (
                "etcd's keys, as the exam reads them",
                "kubelite node ssh master -- ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get / --prefix --keys-only",
            ),
        ],
    },
    Page {
        path: "ssh",
        usage: "kubelite ssh NODE [-- COMMAND...] [options]",
        examples: &[
            (
                "A shell on node01 (the same as kubelite node ssh node01)",
                "kubelite ssh node01",
            ),
            (
                "One command on the control-plane node",
                "kubelite ssh master -- cat /etc/kubernetes/manifests/kube-scheduler.yaml",
            ),
        ],
    },
    Page {
        path: "node stop",
        usage: "kubelite node stop NAME [options]",
        examples: &[(
            "Stop node01; after the grace period it turns NotReady",
            "kubelite node stop node01",
        )],
    },
    Page {
        path: "node start",
        usage: "kubelite node start NAME [options]",
        examples: &[("Start node01's kubelet again", "kubelite node start node01")],
    },
    Page {
        path: "config",
        usage: "kubelite config SUBCOMMAND [options]",
        examples: &[
            (
                "Show the merged kubeconfig, secrets redacted",
                "kubelite config view",
            ),
            (
                "List the contexts of the files KUBECONFIG names",
                "KUBECONFIG=~/.kube/config kubelite config get-contexts",
            ),
        ],
    },
    Page {
        path: "config view",
        usage: "kubelite config view [flags] [options]",
        examples: &[
            (
                "Show the merged kubeconfig settings",
                "kubelite config view",
            ),
            (
                "Show only what the current context uses, with its secrets",
                "kubelite config view --minify --raw",
            ),
            (
                "Get the password of the user named e2e",
                "kubelite config view -o jsonpath='{.users[?(@.name == \"e2e\")].user.password}' --raw",
            ),
        ],
    },
    Page {
        path: "config get-contexts",
        usage: "kubelite config get-contexts [(-o|--output=)name)] [options]",
        examples: &[
            ("List all the contexts", "kubelite config get-contexts"),
            (
                "Describe one context",
                "kubelite config get-contexts my-context",
            ),
        ],
    },
    Page {
        path: "config current-context",
        usage: "kubelite config current-context [options]",
        examples: &[(
            "Display the current-context",
            "kubelite config current-context",
        )],
    },
    Page {
        path: "config use-context",
        usage: "kubelite config use-context CONTEXT_NAME [options]",
        examples: &[(
            "Use the context of the staging cluster",
            "KUBECONFIG=~/.kube/config kubelite config use-context staging",
        )],
    },
    Page {
        path: "config set-context",
        usage: "kubelite config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
        examples: &[(
            "Make the current context use the namespace team-a",
            "KUBECONFIG=~/.kube/config kubelite config set-context --current --namespace=team-a",
        )],
    },
    Page {
        path: "config set-cluster",
        usage: "kubelite config set-cluster NAME [--server=server] [--certificate-authority=path/to/ca] [--embed-certs] [--insecure-skip-tls-verify] [--tls-server-name=name] [--proxy-url=url] [options]",
        examples: &[
            (
                "Point the cluster entry staging at a new address, other fields kept",
                "KUBECONFIG=~/.kube/config kubelite config set-cluster staging --server=https://10.0.0.9:6443",
            ),
            (
                "Copy a CA file's contents into the entry",
                "KUBECONFIG=~/.kube/config kubelite config set-cluster staging --certificate-authority=ca.pem --embed-certs",
            ),
        ],
    },
    Page {
        path: "config set-credentials",
        usage: "kubelite config set-credentials NAME [--client-certificate=path] [--client-key=path] [--embed-certs] [--token=token] [--username=user] [--password=password] [options]",
        examples: &[
            (
                "Give the user entry ci a bearer token",
                "KUBECONFIG=~/.kube/config kubelite config set-credentials ci --token=abc123",
            ),
            (
                "Copy a client certificate and key into the entry admin",
                "KUBECONFIG=~/.kube/config kubelite config set-credentials admin --client-certificate=admin.crt --client-key=admin.key --embed-certs",
            ),
        ],
    },
    Page {
        path: "config delete-context",
        usage: "kubelite config delete-context NAME [options]",
        examples: &[(
            "Forget the context old-lab",
            "KUBECONFIG=~/.kube/config kubelite config delete-context old-lab",
        )],
    },
    Page {
        path: "config delete-cluster",
        usage: "kubelite config delete-cluster NAME [options]",
        examples: &[(
            "Forget the cluster entry old-lab",
            "KUBECONFIG=~/.kube/config kubelite config delete-cluster old-lab",
        )],
    },
    Page {
        path: "config delete-user",
        usage: "kubelite config delete-user NAME [options]",
        examples: &[(
            "Forget the user entry old-admin",
            "KUBECONFIG=~/.kube/config kubelite config delete-user old-admin",
        )],
    },
    Page {
        path: "config rename-context",
        usage: "kubelite config rename-context CONTEXT_NAME NEW_NAME [options]",
        examples: &[(
            "Call the context lab1 dev instead (the current-context follows)",
            "KUBECONFIG=~/.kube/config kubelite config rename-context lab1 dev",
        )],
    },
    Page {
        path: "config unset",
        usage: "kubelite config unset PROPERTY_NAME [options]",
        examples: &[
            (
                "Clear the current-context",
                "KUBECONFIG=~/.kube/config kubelite config unset current-context",
            ),
            (
                "Drop the namespace of the context dev",
                "KUBECONFIG=~/.kube/config kubelite config unset contexts.dev.namespace",
            ),
        ],
    },
    Page {
        path: "config get-clusters",
        usage: "kubelite config get-clusters [options]",
        examples: &[(
            "Names of the cluster entries",
            "KUBECONFIG=~/.kube/config kubelite config get-clusters",
        )],
    },
    Page {
        path: "config get-users",
        usage: "kubelite config get-users [options]",
        examples: &[(
            "Names of the user entries",
            "KUBECONFIG=~/.kube/config kubelite config get-users",
        )],
    },
    Page {
        path: "proxy",
        usage: "kubelite proxy [--port=PORT] [--api-prefix=prefix] [options]",
        examples: &[
            (
                "Forward localhost:8001 to the cluster's API server with the kubeconfig's credentials",
                "kubelite proxy",
            ),
            (
                "Pick a free port; the startup line names it",
                "kubelite proxy --port=0",
            ),
            (
                "Serve the API under /k8s/ (then curl localhost:8001/k8s/api/v1/pods)",
                "kubelite proxy --api-prefix=/k8s/",
            ),
        ],
    },
    Page {
        path: "cp",
        usage: "kubelite cp <file-spec-src> <file-spec-dest> [options]",
        examples: &[
            (
                "Copy a file out of a container (tar runs in the container: a real cluster's)",
                "kubelite cp web-1:/etc/nginx/nginx.conf nginx.conf -c nginx",
            ),
            (
                "Copy a local directory into a container, in another namespace",
                "kubelite cp site shop/web-1:/usr/share/nginx/html",
            ),
        ],
    },
    Page {
        path: "attach",
        usage: "kubelite attach (POD | TYPE/NAME) -c CONTAINER [options]",
        examples: &[
            (
                "Follow the output of a remote cluster's container's process",
                "kubelite attach web-1 -c nginx",
            ),
            (
                "Type into its stdin through a terminal (the container must have tty: true)",
                "kubelite attach web-1 -c shell -i -t",
            ),
        ],
    },
    Page {
        path: "port-forward",
        usage: "kubelite port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
        examples: &[
            (
                "Listen on 8080 locally (127.0.0.1 and ::1), forwarding to port 80 in a remote cluster's pod",
                "kubelite port-forward pod/web-1 8080:80",
            ),
            (
                "Any free local port, on one address only",
                "kubelite port-forward web-1 :5432 --address=127.0.0.1",
            ),
        ],
    },
    Page {
        path: "debug",
        usage: "kubelite debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ]",
        examples: &[
            (
                "Add an ephemeral busybox container to pod web-1 and attach to it (a remote cluster's)",
                "kubelite debug web-1 -it --image=busybox --profile=general",
            ),
            (
                "Add one named debugger that sees web-1's nginx processes, without attaching",
                "kubelite debug web-1 --image=busybox -c debugger --target=nginx",
            ),
            (
                "Copy web-1 to web-1-debug with every image changed, on the same node",
                "kubelite debug web-1 --copy-to=web-1-debug --set-image=*=busybox --same-node",
            ),
            (
                "A pod in node01's host namespaces with its filesystem at /host",
                "kubelite debug node/node01 --image=busybox --profile=sysadmin",
            ),
        ],
    },
    Page {
        path: "kustomize",
        usage: "kubelite kustomize DIR [flags] [options]",
        examples: &[
            (
                "Build the kustomization of the current directory",
                "kubelite kustomize",
            ),
            (
                "Build an overlay into a file",
                "kubelite kustomize overlays/prod -o prod.yaml",
            ),
        ],
    },
];
