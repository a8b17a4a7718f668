package bot

import "testing"

// TestFlowsBelongToOneCommand: every flow of the command table has a
// name of its own and steps, so the router finds the one command whose
// permission it checks again before each step.
func TestFlowsBelongToOneCommand(t *testing.T) {
	b := New(nil, Config{})
	owner := map[string]string{}
	for _, c := range b.commands {
		if c.Flow == nil {
			if c.FlowPerm != permAnyone || c.Recheck != nil {
				t.Errorf("/%s has flow checks but no flow", c.Name)
			}
			continue
		}
		if c.Flow.name == "" || len(c.Flow.steps) == 0 {
			t.Errorf("/%s has a flow without a name or steps", c.Name)
		}
		if other, ok := owner[c.Flow.name]; ok {
			t.Errorf("flow %q belongs to /%s and /%s", c.Flow.name, other, c.Name)
		}
		owner[c.Flow.name] = c.Name
		if b.flowCommand(c.Flow.name) != c {
			t.Errorf("flow %q is not routed to /%s", c.Flow.name, c.Name)
		}
	}
}
