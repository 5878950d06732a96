// Initiates the MongoDB replica set once; safe to run again at any time (it then only waits for a primary).
//
//   mongosh --host mongo1:27017 --quiet --file init-replica-set.js
//
// Settings (environment variables of the mongosh process):
//   RS_NAME          replica set name                          (default dbrs)
//   RS_MEMBERS       comma-separated host:port list; the first (default mongo1:27017,mongo2:27017,mongo3:27017)
//                    member gets the highest priority, so it is the preferred primary
//   RS_WAIT_SECONDS  how long to wait for members and a primary (default 120)
//
// It polls instead of sleeping blindly: every member must answer `ping`, then the set is initiated unless it
// already is, then it waits until a primary is elected. It exits 0 on success and 1 on timeout.
// Used by the Kubernetes dev overlay (a ConfigMap; kustomize only reads files inside the overlay, hence its place)
// and mounted from here by deploy/compose.yaml (service mongo-init).

const rsName = process.env.RS_NAME || "dbrs";
const members = (process.env.RS_MEMBERS || "mongo1:27017,mongo2:27017,mongo3:27017")
  .split(",")
  .map((host) => host.trim())
  .filter((host) => host.length > 0);
const deadline = Date.now() + 1000 * Number(process.env.RS_WAIT_SECONDS || 120);
const NOT_YET_INITIALIZED = 94;

function waitUntil(what, check) {
  let lastError = "";
  for (;;) {
    try {
      if (check()) {
        print(`ok: ${what}`);
        return;
      }
    } catch (error) {
      lastError = error.message;
    }
    if (Date.now() > deadline) {
      print(`timed out waiting for ${what}${lastError ? `: ${lastError}` : ""}`);
      quit(1);
    }
    sleep(1000);
  }
}

function answersPing(host) {
  const connection = new Mongo(`mongodb://${host}/?directConnection=true&serverSelectionTimeoutMS=2000`);
  try {
    return connection.getDB("admin").runCommand({ ping: 1 }).ok === 1;
  } finally {
    connection.close();
  }
}

// Runs an admin command on the member mongosh connected to; a command error is thrown whether this mongosh
// throws it or returns it as { ok: 0 }.
function adminCommand(command) {
  const result = db.adminCommand(command);
  if (result.ok !== 1) {
    const error = new Error(result.errmsg || JSON.stringify(result));
    error.code = result.code;
    throw error;
  }
  return result;
}

function replicaSetStatus() {
  try {
    return adminCommand({ replSetGetStatus: 1 });
  } catch (error) {
    if (error.code === NOT_YET_INITIALIZED) {
      return null;
    }
    throw error;
  }
}

for (const host of members) {
  waitUntil(`member ${host} answers ping`, () => answersPing(host));
}

waitUntil(`replica set ${rsName} initiated`, () => {
  if (replicaSetStatus() !== null) {
    return true;
  }
  const config = {
    _id: rsName,
    members: members.map((host, index) => ({ _id: index, host: host, priority: members.length - index })),
  };
  print(`initiating ${JSON.stringify(config)}`);
  adminCommand({ replSetInitiate: config });
  return true;
});

waitUntil(`replica set ${rsName} has a primary`, () => {
  const status = replicaSetStatus();
  return status !== null && (status.members || []).some((member) => member.stateStr === "PRIMARY");
});
