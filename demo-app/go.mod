module rebound.dev/demo-app

go 1.22
