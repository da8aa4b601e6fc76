from staffing_sql.cli import main

main()
