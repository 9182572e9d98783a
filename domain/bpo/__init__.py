"""The BPO wing: call-centre campaigns, agents, call logs, KPI records and BpoKpiDaily."""
